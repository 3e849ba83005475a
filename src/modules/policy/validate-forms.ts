// Checks of declared forms (collection points whose fields are typed): what the generic collection
// endpoint, the identity resolution and the consent rules rely on, each refused with its location.
import { isWithin } from './model.js';
import { BUILT_IN_POINTS, type CollectionPoint, type FieldType, type PolicyDocument } from './schema.js';

type Add = (path: PropertyKey[], message: string) => void;

/** The identifier types, and the category each one's value is indexed and exported under. */
export const IDENTIFIER_TYPES: Readonly<Partial<Record<FieldType, string>>> = {
  email: 'contact.email',
  phone: 'contact.phone',
  postal_address: 'contact.postal_address',
};

/** Body keys every collection accepts for the under-13 gate (checked, never stored). */
export const GATE_KEYS: readonly string[] = ['birth_date', 'age'];

/** A declared form's field name is its key in the request body. */
const BODY_KEY = /^[a-z][a-z0-9_]*$/;

/** Whether a collection point is a declared form: its fields carry a `type`. */
export function isDeclaredForm(point: CollectionPoint): boolean {
  return Object.values(point.fields).some((f) => f.type !== undefined);
}

export function checkForms(doc: PolicyDocument, add: Add): void {
  for (const [id, cp] of Object.entries(doc.collection_points)) {
    if (!isDeclaredForm(cp)) continue;
    const base = ['collection_points', id];
    if ((BUILT_IN_POINTS as readonly string[]).includes(id)) {
      const first = Object.entries(cp.fields).find(([, f]) => f.type !== undefined)?.[0] ?? '';
      add(
        [...base, 'fields', first, 'type'],
        `"${id}" is one of Vow's built-in collection points, whose fields take no type; give the form another id`,
      );
      continue;
    }
    let kind: string | undefined;
    let identifier = false;
    for (const [name, f] of Object.entries(cp.fields)) {
      const at = [...base, 'fields', name];
      if (f.type === undefined) {
        add(
          [...at],
          'every field of a declared form needs a type (email, phone, postal_address, name, date, enum, text or opt_in)',
        );
        continue;
      }
      if (!BODY_KEY.test(name))
        add(at, 'a form field is a key of the request body: lower-case letters, digits and _ only');
      if (GATE_KEYS.includes(name))
        add(at, `"${name}" is the under-13 gate's own key, accepted on every form and never stored`);
      if (kind === undefined) kind = f.subject_kind;
      else if (f.subject_kind !== kind)
        add([...at, 'subject_kind'], `a form collects one person: every field is "${kind}"'s`);
      checkFieldKeys(doc, id, f, at, add);
      const indexed = IDENTIFIER_TYPES[f.type];
      if (indexed !== undefined) {
        if (f.required) identifier = true;
        if (Object.hasOwn(doc.categories, f.category) && !isWithin(f.category, indexed))
          add([...at, 'category'], `a ${f.type} field holds "${indexed}" (or a category below it)`);
      } else {
        const held = Object.entries(IDENTIFIER_TYPES).find(([, c]) => c && isWithin(f.category, c));
        if (held)
          add(
            [...at, 'type'],
            `"${f.category}" is an identifier: give the field type ${held[0]}, so the person is found by it`,
          );
      }
    }
    if (!identifier)
      add(
        [...base, 'fields'],
        'a form needs a required email, phone or postal_address field: it is how the person is found again',
      );
  }
}

/** The keys that belong to one type only: values and multiple (enum), max_length (text), grants (opt_in), dates (date). */
function checkFieldKeys(
  doc: PolicyDocument,
  point: string,
  f: CollectionPoint['fields'][string],
  at: PropertyKey[],
  add: Add,
): void {
  if (f.type === 'enum' && f.values === undefined) add([...at, 'values'], 'an enum field lists its values');
  if (f.type !== 'enum' && f.values !== undefined) add([...at, 'values'], 'only an enum field has values');
  if (f.type !== 'enum' && f.multiple !== undefined)
    add([...at, 'multiple'], 'only an enum field takes multiple');
  if (f.type === 'enum' && f.values && new Set(f.values).size !== f.values.length)
    add([...at, 'values'], 'each value is listed once');
  if (f.type === 'text' && f.max_length === undefined)
    add([...at, 'max_length'], 'a text field gives the longest answer it accepts (max_length)');
  if (f.type !== 'text' && f.max_length !== undefined)
    add([...at, 'max_length'], 'only a text field has max_length');
  if (f.type !== 'date' && f.dates !== undefined) add([...at, 'dates'], 'only a date field takes dates');
  if (f.type === 'opt_in' && f.grants === undefined)
    add([...at, 'grants'], 'an opt_in box names the channels its tick grants');
  if (f.type !== 'opt_in' && f.grants !== undefined)
    add([...at, 'grants'], 'only an opt_in box grants channels');
  f.grants?.forEach((channel, i) => {
    const ch = Object.hasOwn(doc.channels, channel) ? doc.channels[channel] : undefined;
    if (!ch) add([...at, 'grants', i], `unknown channel "${channel}"`);
    else if (!ch.granted_by.includes(point))
      add([...at, 'grants', i], `channel "${channel}" does not list "${point}" in its granted_by`);
  });
}
