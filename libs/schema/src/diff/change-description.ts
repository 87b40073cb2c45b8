import type { ReferentialAction } from '../schema.types.js';
import type { ColumnAspect } from './column-facts.js';
import type { ForeignKeyShape, IndexShape, SchemaChange } from './schema-change.types.js';

const IN_FILE = 'in schema.yaml';
const IN_DB = 'in the database';

/** How a column aspect reads before its value: `type varchar(128)`, `NOT NULL`, `default 'G'`. */
const ASPECT_LABEL: Readonly<Record<ColumnAspect, string>> = {
  type: 'type ',
  nullable: '',
  default: 'default ',
  on_update: 'on update ',
  auto: '',
  comment: 'comment ',
};

/** `unique (rental_date, inventory_id)`, `fulltext (title, description)`, `(title)`. */
export const describeIndex = (index: IndexShape): string => {
  const prefix = index.kind ?? (index.unique ? 'unique' : '');
  return `${prefix === '' ? '' : `${prefix} `}(${index.fields.join(', ')})`;
};

const action = (value: ReferentialAction): string => value.replace('_', ' ');

/** `-> language.language_id on delete restrict on update cascade (fk_film_language)`. */
export const describeForeignKey = (key: ForeignKeyShape): string =>
  `-> ${key.table}.${key.field} on delete ${action(key.onDelete)} on update ${action(key.onUpdate)}` +
  (key.name === undefined ? '' : ` (${key.name})`);

const keyColumns = (fields: string[]): string => (fields.length === 0 ? 'none' : `(${fields.join(', ')})`);

/**
 * One line for people, naming the place first:
 * `film.title: type varchar(128) in schema.yaml, varchar(255) in the database`.
 */
export const describeChange = (change: SchemaChange): string => {
  const line = describePlace(change);
  return 'note' in change && change.note !== undefined ? `${line} (${change.note})` : line;
};

const describePlace = (change: SchemaChange): string => {
  switch (change.kind) {
    case 'table_missing':
      return `${change.table}: ${change.view ? 'view' : 'table'} missing ${IN_DB}`;
    case 'table_extra':
      return `${change.table}: ${change.view ? 'view' : 'table'} ${IN_DB}, not ${IN_FILE}`;
    case 'table_kind':
      return `${change.table}: a ${change.desired} ${IN_FILE}, a ${change.live} ${IN_DB}`;
    case 'table_comment':
      return `${change.table}: comment ${change.desired} ${IN_FILE}, ${change.live} ${IN_DB}`;
    case 'column_missing':
      return `${change.table}.${change.column}: column missing ${IN_DB}`;
    case 'column_extra':
      return `${change.table}.${change.column}: column ${IN_DB}, not ${IN_FILE}`;
    case 'column_changed':
      return (
        `${change.table}.${change.column}: ${ASPECT_LABEL[change.aspect]}${change.desired} ${IN_FILE}, ` +
        `${change.live} ${IN_DB}`
      );
    case 'primary_key_changed':
      return `${change.table}: primary key ${keyColumns(change.desired)} ${IN_FILE}, ${keyColumns(change.live)} ${IN_DB}`;
    case 'index_missing':
      return `${change.table}: index ${change.index} ${describeIndex(change.desired)} missing ${IN_DB}`;
    case 'index_extra':
      return `${change.table}: index ${change.index} ${describeIndex(change.live)} ${IN_DB}, not ${IN_FILE}`;
    case 'index_changed':
      return (
        `${change.table}: index ${change.index} ${describeIndex(change.desired)} ${IN_FILE}, ` +
        `${describeIndex(change.live)} ${IN_DB}`
      );
    case 'foreign_key_missing':
      return `${change.table}.${change.column}: foreign key ${describeForeignKey(change.desired)} missing ${IN_DB}`;
    case 'foreign_key_extra':
      return `${change.table}.${change.column}: foreign key ${describeForeignKey(change.live)} ${IN_DB}, not ${IN_FILE}`;
    case 'foreign_key_changed':
      return (
        `${change.table}.${change.column}: foreign key ${describeForeignKey(change.desired)} ${IN_FILE}, ` +
        `${describeForeignKey(change.live)} ${IN_DB}`
      );
  }
};
