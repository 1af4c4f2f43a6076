// The binary session encoding (known encoding 0x08, `application/soap+msbinsession1`, NetTcpBinding's):
// each envelope is a [MC-NBFSE] StringTable followed by the [MC-NBFX] document. The string tables are
// state: one writer for what we send, one reader for what the peer sends, each message in order.

import {
  ByteWriter,
  readRecords,
  recordsToTree,
  type SessionReader,
  type SessionWriter,
  treeToRecords,
  writeRecordsTo,
  type XmlElement,
} from '../nbfx/index.ts';
import { wrapNbfx } from './errors.ts';

// Encodes one message, adding its new names to the writer's session. If encoding fails, the strings it
// added are dropped, so the session stays as the peer knows it.
export const encodeSessionMessage = (root: XmlElement, session: SessionWriter): Uint8Array =>
  wrapNbfx(() => {
    try {
      const records = treeToRecords(root, session.lookup);
      // The document first: the table may only be taken (its strings marked sent) once nothing can fail.
      const doc = new ByteWriter();
      writeRecordsTo(doc, records);
      const w = new ByteWriter();
      session.takeTable(w);
      w.bytes(doc.finish());
      return w.finish();
    } catch (e) {
      session.dropPending();
      throw e;
    }
  });

// Decodes one message: its StringTable joins the reader's session, then the document is read.
export const decodeSessionMessage = (
  bytes: Uint8Array,
  session: SessionReader,
  maxDepth?: number,
): XmlElement =>
  wrapNbfx(() => {
    const start = session.readTable(bytes);
    return recordsToTree(readRecords(bytes, start), session.resolve, { maxDepth });
  });
