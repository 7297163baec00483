import crypto from 'node:crypto';
import { z } from 'zod';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { dateString, parseInput, text } from '../../shared/validation';
import * as assetsRepo from '../assets/assets.repository';
import { recordAssetEvent, requireAsset } from '../assets/assets.service';
import { authorize, canRead } from '../auth/auth.service';
import * as contractsRepo from '../contracts/contracts.repository';
import * as repo from './documents.repository';
import { DOCUMENT_KINDS, DocumentMeta } from './documents.types';

/** The upload as graphql-yoga hands it over: a web File. */
export interface UploadedFile {
  name: string;
  type: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** GraphQL Int is 32-bit: sizes of documents kept elsewhere are declared up to 2 GiB − 1. */
const MAX_DECLARED_BYTES = 2 ** 31 - 1;

const attachSchema = z.object({
  assetId: z.number(),
  kind: z.enum(DOCUMENT_KINDS),
  title: text(200),
  fileName: text(200).nullish(),
  sha256: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => SHA256.test(v), { message: 'must be 64 hexadecimal characters', params: { code: 'INVALID_INPUT' } })
    .nullish(),
  sizeBytes: z.number().int().min(0).max(MAX_DECLARED_BYTES).nullish(),
  documentOn: dateString,
  eventId: z.number().nullish(),
  contractId: z.number().nullish(),
});

export function sha256Hex(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/** A file name without any directory part: what a download may suggest to the browser. */
function baseName(name: string): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f]/g, '').trim();
  return base.slice(0, 200) || 'document';
}

/** Only plain type/subtype values are kept; anything else is served as bytes. */
function safeContentType(type: string | undefined): string {
  const t = (type ?? '').split(';')[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/.test(t) ? t : 'application/octet-stream';
}

/**
 * 附件 Attaches a document to an asset, optionally to one of its events or contracts. With a file, the
 * content is stored and its SHA-256 and size computed (a declared hash must match); without one, the
 * description of a document kept elsewhere is recorded with its declared hash and size.
 */
export async function attachDocument(
  svc: ServiceContext,
  raw: unknown,
  file: UploadedFile | null,
  limits: { uploadMaxBytes: number },
): Promise<DocumentMeta> {
  const input = parseInput(attachSchema, raw);
  const asset = await requireAsset(svc, input.assetId);
  authorize(svc.actor, 'document.write', asset.villageCode);
  if (input.eventId != null) {
    const event = await assetsRepo.findEvent(svc.db, input.eventId);
    if (!event || event.assetId !== asset.id) throw new DomainError('NOT_FOUND', 'No such event of this asset', ['input', 'eventId']);
  }
  if (input.contractId != null) {
    const contract = await contractsRepo.findById(svc.db, input.contractId);
    if (!contract || contract.assetId !== asset.id) throw new DomainError('NOT_FOUND', 'No such contract of this asset', ['input', 'contractId']);
  }

  let content: Buffer | null = null;
  let sha256: string;
  let sizeBytes: number;
  let fileName: string;
  let contentType: string;
  if (file) {
    // Refuse by the announced size before reading; re-check the bytes actually read.
    if (file.size > limits.uploadMaxBytes) throw tooLarge(file.size, limits.uploadMaxBytes);
    content = Buffer.from(await file.arrayBuffer());
    if (content.length > limits.uploadMaxBytes) throw tooLarge(content.length, limits.uploadMaxBytes);
    sha256 = sha256Hex(content);
    sizeBytes = content.length;
    if (input.sha256 && input.sha256 !== sha256) {
      throw new DomainError('CONTENT_MISMATCH', `The uploaded file's SHA-256 is ${sha256}, not the declared ${input.sha256}`, ['input', 'sha256']);
    }
    if (input.sizeBytes != null && input.sizeBytes !== sizeBytes) {
      throw new DomainError('CONTENT_MISMATCH', `The uploaded file has ${sizeBytes} bytes, not the declared ${input.sizeBytes}`, ['input', 'sizeBytes']);
    }
    fileName = baseName(input.fileName ?? file.name);
    contentType = safeContentType(file.type);
  } else {
    if (!input.sha256) throw new DomainError('REQUIRED', 'Without an uploaded file, give the SHA-256 of the document', ['input', 'sha256']);
    if (input.sizeBytes == null) throw new DomainError('REQUIRED', 'Without an uploaded file, give its size in bytes', ['input', 'sizeBytes']);
    if (!input.fileName) throw new DomainError('REQUIRED', 'Without an uploaded file, give its file name', ['input', 'fileName']);
    sha256 = input.sha256;
    sizeBytes = input.sizeBytes;
    fileName = baseName(input.fileName);
    contentType = 'application/octet-stream';
  }

  const doc: Omit<DocumentMeta, 'id'> = {
    assetId: asset.id,
    eventId: input.eventId ?? null,
    contractId: input.contractId ?? null,
    kind: input.kind,
    title: input.title,
    fileName,
    contentType,
    sha256,
    sizeBytes,
    documentOn: input.documentOn,
    stored: content !== null,
    actorUserId: svc.actor.userId,
    recordedAt: svc.clock.now(),
  };
  const id = await repo.insert(svc.db, doc, content);
  await recordAssetEvent(svc, asset, 'DOCUMENT_ATTACH', {
    effectiveOn: input.documentOn,
    reason: input.title,
    dateField: ['input', 'documentOn'],
    payload: { documentId: id, kind: input.kind, sha256, sizeBytes, eventId: doc.eventId, contractId: doc.contractId },
  });
  return { id, ...doc };
}

function tooLarge(size: number, max: number): DomainError {
  return new DomainError('FILE_TOO_LARGE', `The file has ${size} bytes; the largest upload accepted is ${max} bytes`, ['input', 'file']);
}

/** The stored content no longer matches the hash recorded when it was attached. */
export class DocumentIntegrityError extends Error {
  constructor(readonly documentId: number) {
    super(`Document ${documentId} failed its SHA-256 check: the stored content was altered`);
    this.name = 'DocumentIntegrityError';
  }
}

export async function getDocument(svc: ServiceContext, id: number): Promise<DocumentMeta | null> {
  const d = await repo.findById(svc.db, id);
  if (!d) return null;
  const asset = await assetsRepo.findById(svc.db, d.assetId);
  return asset && canRead(svc.actor, asset.villageCode) ? d : null;
}

/**
 * The content of a stored document, re-hashed on every read: a copy that does not match the hash recorded
 * at upload is never served as evidence. Null when unknown, out of scope, or not stored.
 */
export async function readDocumentContent(svc: ServiceContext, id: number): Promise<{ meta: DocumentMeta; content: Buffer } | null> {
  const meta = await getDocument(svc, id);
  if (!meta || !meta.stored) return null;
  const content = await repo.contentOf(svc.db, id);
  if (!content) return null;
  if (sha256Hex(content) !== meta.sha256 || content.length !== meta.sizeBytes) throw new DocumentIntegrityError(id);
  return { meta, content };
}
