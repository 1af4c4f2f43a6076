// [MC-NBFX] binary XML with the [MC-NBFS] static dictionary and [MC-NBFSE] session strings. Pure: no I/O.

export { staticId, staticString } from './dictionary.ts';
export { isNbfxError, NbfxError, NbfxErrorCode, type NbfxErrorCodeValue } from './errors.ts';
export { NBFS_STRINGS } from './nbfs-strings.ts';
export { arrayValues, readRecords } from './read.ts';
export { type NbfxName, type NbfxRecord, type NbfxText, type NbfxTextType } from './records.ts';
export { SessionReader, SessionWriter } from './session.ts';
export {
  type Lookup,
  recordsToTree,
  type Resolve,
  textRecordFor,
  type TreeOptions,
  treeToRecords,
} from './tree.ts';
export { guidFromBytes, guidToBytes, textToString } from './values.ts';
export { ByteWriter, writeRecords, writeRecordsTo } from './write.ts';
export {
  child,
  childElements,
  el,
  textOf,
  XML_NAMESPACE,
  type XmlAttribute,
  type XmlDeclaration,
  type XmlElement,
  type XmlNode,
} from './xml.ts';
