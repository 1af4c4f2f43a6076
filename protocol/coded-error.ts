// The one error base every part of nettcp-chaos throws: a name, a stable code tools and reports match
// on (each layer keeps its codes in one table: NMF_/NBFX_/SOAP_ in protocol, CLIENT_ in clients, HOST_
// in host, FAULT_ in faults, and the harness's in harness/errors.ts), and the cause kept (undici, execa).

export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

// Whether a value is a coded error of ours (also across realms: by its code).
export const isCodedError = (e: unknown): e is CodedError =>
  e instanceof CodedError || (e instanceof Error && typeof (e as { code?: unknown }).code === 'string');
