// The policy checks refuse an ill-formed form declaration, each problem with its path and line, so
// a retailer's mistake stops Vow at start (and `vow policy check`) instead of at the first submission.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formsPolicyDoc, tryPolicy } from './forms-policy.js';

// biome-ignore lint/suspicious/noExplicitAny: a policy document edited as plain YAML data
type Doc = any;

/** The problems of the forms policy after one edit. */
function problemsAfter(edit: (doc: Doc) => void): string[] {
  const doc = formsPolicyDoc();
  edit(doc);
  const { problems, lines } = tryPolicy(doc);
  for (const line of lines) assert.ok(line !== undefined && line > 0, 'each problem is located in the file');
  return problems;
}

const newsletter = (doc: Doc) => doc.collection_points.newsletter.fields;
const appointment = (doc: Doc) => doc.collection_points.appointment_request.fields;

describe('declared forms in the policy checks', () => {
  it('accepts the newsletter and appointment forms', () => {
    assert.deepEqual(tryPolicy(formsPolicyDoc()).problems, []);
  });

  const cases: [string, (doc: Doc) => void, string][] = [
    [
      'a type the format does not know',
      (d) => {
        newsletter(d).email.type = 'emial';
      },
      'collection_points.newsletter.fields.email.type: Invalid option',
    ],
    [
      'a field without a type on a declared form',
      (d) => {
        delete newsletter(d).first_name.type;
      },
      'collection_points.newsletter.fields.first_name: every field of a declared form needs a type',
    ],
    [
      'an enum without values',
      (d) => {
        delete appointment(d).occasion.values;
      },
      'collection_points.appointment_request.fields.occasion.values: an enum field lists its values',
    ],
    [
      'values on a field that is not an enum',
      (d) => {
        newsletter(d).first_name.values = ['Ann'];
      },
      'collection_points.newsletter.fields.first_name.values: only an enum field has values',
    ],
    [
      'multiple on a field that is not an enum',
      (d) => {
        newsletter(d).first_name.multiple = true;
      },
      'collection_points.newsletter.fields.first_name.multiple: only an enum field takes multiple',
    ],
    [
      'free text without a maximum',
      (d) => {
        delete appointment(d).notes.max_length;
      },
      'collection_points.appointment_request.fields.notes.max_length: a text field gives the longest answer',
    ],
    [
      'an opt-in box that grants nothing',
      (d) => {
        delete appointment(d).texts_ok.grants;
      },
      'collection_points.appointment_request.fields.texts_ok.grants: an opt_in box names the channels',
    ],
    [
      'an opt-in box granting an unknown channel',
      (d) => {
        appointment(d).texts_ok.grants = ['pigeon_post'];
      },
      'collection_points.appointment_request.fields.texts_ok.grants[0]: unknown channel "pigeon_post"',
    ],
    [
      'an opt-in box granting a channel that does not list the form in granted_by',
      (d) => {
        appointment(d).texts_ok.grants = ['email_marketing'];
      },
      'collection_points.appointment_request.fields.texts_ok.grants[0]: channel "email_marketing" does not list "appointment_request" in its granted_by',
    ],
    [
      'fields of two kinds of person',
      (d) => {
        d.collection_points.newsletter.subject_kinds.push('contestant');
        newsletter(d).first_name.subject_kind = 'contestant';
      },
      'collection_points.newsletter.fields.first_name.subject_kind: a form collects one person',
    ],
    [
      'no required identifier',
      (d) => {
        newsletter(d).email.required = false;
      },
      'collection_points.newsletter.fields: a form needs a required email, phone or postal_address field',
    ],
    [
      'an email field of another category',
      (d) => {
        newsletter(d).email.category = 'identity.name';
      },
      'collection_points.newsletter.fields.email.category: a email field holds "contact.email"',
    ],
    [
      'an identifier category kept as free text',
      (d) => {
        appointment(d).notes.category = 'contact.phone';
        appointment(d).notes.purposes = ['appointment.scheduling'];
      },
      'collection_points.appointment_request.fields.notes.type: "contact.phone" is an identifier: give the field type phone',
    ],
    [
      'a field name that is not a body key',
      (d) => {
        newsletter(d)['first.name'] = newsletter(d).first_name;
      },
      'collection_points.newsletter.fields["first.name"]: a form field is a key of the request body',
    ],
    [
      "the under-13 gate's own key",
      (d) => {
        appointment(d).birth_date = { ...appointment(d).preferred_date };
      },
      `collection_points.appointment_request.fields.birth_date: "birth_date" is the under-13 gate's own key`,
    ],
    [
      'a typed field on a built-in collection point',
      (d) => {
        d.collection_points.contest_entry.fields.email.type = 'email';
      },
      `collection_points.contest_entry.fields.email.type: "contest_entry" is one of Vow's built-in collection points`,
    ],
    [
      'a purpose no rule allows for the field',
      (d) => {
        appointment(d).notes.purposes = ['marketing.email'];
      },
      'collection_points.appointment_request.fields.notes.purposes[0]: no rule allows "marketing.email" for appointment_requester appointment.notes',
    ],
  ];
  for (const [what, edit, expected] of cases) {
    it(`refuses ${what}, with its location`, () => {
      const problems = problemsAfter(edit);
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `expected "${expected}…" among:\n${problems.join('\n')}`,
      );
    });
  }
});
