/** Where a ciphertext belongs: bound into it as GCM associated data, so it decrypts nowhere else. */
export interface FieldContext {
  app: string;
  table: string;
  field: string;
}

export const associatedData = (context: FieldContext): Buffer =>
  Buffer.from(`sogoms\0${context.app}\0${context.table}\0${context.field}`, 'utf8');
