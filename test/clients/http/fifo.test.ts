import fc from 'fast-check';
import t from 'tap';
import { Fifo } from '../../../clients/http/fifo.ts';

t.test('a Fifo gives items back in the order they came, like an array shifted', async () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 5000 }), (ops) => {
      const q = new Fifo<number>();
      const model: number[] = [];
      for (const op of ops) {
        if (op === undefined) {
          if (q.take() !== model.shift()) throw new Error('take differs');
        } else {
          q.push(op);
          model.push(op);
        }
        if (q.length !== model.length) throw new Error('length differs');
      }
      if (JSON.stringify(q.drain()) !== JSON.stringify(model) || q.length !== 0)
        throw new Error('drain differs');
    }),
    { numRuns: 200 },
  );
});
