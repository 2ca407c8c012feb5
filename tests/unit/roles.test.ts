import { describe, expect, test } from 'vitest';
import {
  classIn,
  confidenceColumn,
  detectRoles,
  namedAsPrediction,
  overridesFromParams,
  overridesToParams,
  predictionsOf,
} from '../../src/core/table/roles';
import type { ColumnKind, ColumnProfile } from '../../src/core/table/schema';

const col = (name: string, kind: ColumnKind = 'numeric', extra: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name,
  type: kind === 'string' ? 'VARCHAR' : 'DOUBLE',
  kind,
  nulls: 0,
  distinct: 100,
  sample: [],
  ...extra,
});

describe('detectRoles', () => {
  test('conventional names', () => {
    const r = detectRoles(
      [
        col('sample_id', 'integer'),
        col('x1'),
        col('target', 'string', { distinct: 3 }),
        col('y_pred', 'string'),
        col('proba_a'),
        col('proba_b'),
      ],
      100,
    );
    expect(r).toMatchObject({
      label: 'target',
      pred: 'y_pred',
      id: 'sample_id',
      task: 'classification',
      features: ['x1'],
    });
    expect(r.probs).toEqual({
      kind: 'columns',
      prefix: 'proba_',
      columns: [
        { cls: 'a', column: 'proba_a' },
        { cls: 'b', column: 'proba_b' },
      ],
    });
  });
  test('predicted_<label> and case-insensitive names', () => {
    const r = detectRoles([col('Species', 'string'), col('Class', 'string'), col('predicted_Class', 'string')], 10);
    expect(r.label).toBe('Class');
    expect(r.pred).toBe('predicted_Class');
  });
  test('more names for the label (y_test, labels, gold), and a label named by its prediction column', () => {
    const roles = (...names: string[]) => {
      const r = detectRoles([col('x1'), ...names.map((n) => col(n, 'string'))], 10);
      return [r.label, r.pred];
    };
    expect(roles('y_test', 'y_pred')).toEqual(['y_test', 'y_pred']);
    expect(roles('labels', 'preds')).toEqual(['labels', 'preds']);
    expect(roles('gold', 'pred')).toEqual(['gold', 'pred']);
    // Forecasting's and other tools' spellings: R's broom (.fitted), H2O (predict), PyCaret.
    expect(roles('observed', 'forecast')).toEqual(['observed', 'forecast']);
    expect(roles('true_value', 'predicted_value')).toEqual(['true_value', 'predicted_value']);
    expect(roles('Actual Value', '.fitted')).toEqual(['Actual Value', '.fitted']);
    expect(roles('actuals', 'predict')).toEqual(['actuals', 'predict']);
    expect(roles('label', 'prediction_label', 'prediction_score')).toEqual(['label', 'prediction_label']);
    expect(roles('ground truth', 'model output')).toEqual(['ground truth', 'model output']);
    // No conventional label: the column that another is the prediction of.
    expect(roles('sentiment', 'predicted_sentiment')).toEqual(['sentiment', 'predicted_sentiment']);
    expect(roles('topic', 'Species', 'SpeciesPred')).toEqual(['Species', 'SpeciesPred']);
    expect(roles('species', 'species_hat')).toEqual(['species', 'species_hat']);
    // A conventional label wins, and an unrelated column is no label.
    expect(roles('label', 'topic', 'topic_pred')).toEqual(['label', null]);
    expect(roles('topic', 'species')).toEqual([null, null]);
    // More spellings: gt, actual_label, pred_class; is_fraud predicted as fraud_pred.
    expect(roles('gt', 'pred')).toEqual(['gt', 'pred']);
    expect(roles('actual_label', 'predicted_label')).toEqual(['actual_label', 'predicted_label']);
    expect(roles('true_class', 'pred_class')).toEqual(['true_class', 'pred_class']);
    expect(roles('is_fraud', 'fraud_pred')).toEqual(['is_fraud', 'fraud_pred']);
    // R's tidymodels: the label is the text column whose classes the .pred_<level> columns name.
    const top = (...v: string[]) => ({ distinct: v.length, top: v.map((value) => ({ value, count: 1 })) });
    const unit: Partial<ColumnProfile> = { histogram: { min: 0, max: 1, counts: null } };
    const tidy = detectRoles(
      [
        col('site', 'string', top('a', 'b')),
        col('Species', 'string', top('setosa', 'virginica')),
        col('.pred_class', 'string', top('setosa', 'virginica')),
        col('.pred_setosa', 'numeric', unit),
        col('.pred_virginica', 'numeric', unit),
      ],
      10,
    );
    expect([tidy.label, tidy.pred, tidy.probs?.kind === 'columns' && tidy.probs.columns.map((c) => c.cls)]).toEqual([
      'Species',
      '.pred_class',
      ['setosa', 'virginica'],
    ]);
    // A label, and a column named as a prediction of no other column: the prediction.
    expect(roles('label', 'model_preds_v2', 'x')).toEqual(['label', 'model_preds_v2']);
    expect(roles('label', 'pred_confidence', 'x')).toEqual(['label', null]);
  });
  test("pandas' and R's row index is the id, not a feature, when it numbers every row", () => {
    const index = (name: string, distinct = 100) => col(name, 'integer', { distinct });
    const roles = (...cols: ColumnProfile[]) => {
      const r = detectRoles([...cols, col('label', 'string', { distinct: 2 }), col('pred', 'string')], 100);
      return [r.id, r.features];
    };
    expect(roles(index('column0'), col('x'))).toEqual(['column0', ['x']]);
    expect(roles(col('x'), index('Unnamed: 0'))).toEqual(['Unnamed: 0', ['x']]);
    expect(roles(index('__index_level_0__'), col('x'))).toEqual(['__index_level_0__', ['x']]);
    // reset_index() makes the index a first column `index` (`level_0` when `index` is taken).
    expect(roles(index('index'), col('x'))).toEqual(['index', ['x']]);
    expect(roles(index('level_0'), index('index'))).toEqual(['level_0', ['index']]);
    expect(roles(col('x'), index('index'))).toEqual([null, ['x', 'index']]);
    // Repeated values, not the first column, or an id by name: no index.
    expect(roles(index('column0', 7), col('x'))).toEqual([null, ['column0', 'x']]);
    expect(roles(col('x'), index('column0'))).toEqual([null, ['x', 'column0']]);
    expect(roles(index('column0'), col('row_id', 'integer'))).toEqual(['row_id', ['column0']]);
  });
  test('a lone p_ column is not a probability set; prob_ may be (binary)', () => {
    expect(detectRoles([col('label', 'string'), col('p_value')], 10).probs).toBeNull();
    expect(detectRoles([col('label', 'string'), col('prob_1')], 10).probs).toMatchObject({ prefix: 'prob_' });
  });
  test('probability columns named with the class first or in brackets: cat_prob, cat_proba, P(cat), probability_cat', () => {
    const probs = (...names: string[]) =>
      detectRoles([col('label', 'string'), col('pred', 'string'), ...names.map((n) => col(n))], 10).probs;
    expect(probs('cat_prob', 'dog_prob')).toEqual({
      kind: 'columns',
      prefix: '*_prob',
      columns: [
        { cls: 'cat', column: 'cat_prob' },
        { cls: 'dog', column: 'dog_prob' },
      ],
    });
    expect(probs('Cat_Proba', 'Dog_Proba')).toMatchObject({
      prefix: '*_proba',
      columns: [{ cls: 'Cat' }, { cls: 'Dog' }],
    });
    expect(probs('P(cat)', 'P(dog)')).toMatchObject({ prefix: 'p(*)', columns: [{ cls: 'cat' }, { cls: 'dog' }] });
    expect(probs('probability_cat', 'probability_dog')).toMatchObject({ prefix: 'probability_' });
    // One binary score, not class y's or pred's; and an override as a pattern.
    expect(probs('y_prob')).toBeNull();
    expect(probs('pred_proba')).toBeNull();
    const over = detectRoles([col('label', 'string'), col('a_p'), col('b_p')], 10, { probs: '*_p' }).probs;
    expect(over).toMatchObject({ prefix: '*_p', columns: [{ cls: 'a' }, { cls: 'b' }] });
    expect(classIn('x_prob', '*_prob')).toBe('x');
    expect(classIn('_prob', '*_prob')).toBeNull();
    expect(classIn('prob_x', 'prob_')).toBe('x');
  });
  test('a "prediction" of fractions in [0, 1] beside a binary label is the positive class\'s probability', () => {
    const label = col('label', 'integer', { distinct: 2, histogram: { min: 0, max: 1, counts: null } });
    const score = col('prediction', 'numeric', { fractional: true, histogram: { min: 0.01, max: 0.98, counts: null } });
    const r = detectRoles([label, score], 10);
    expect([r.pred, r.probs]).toEqual([
      null,
      { kind: 'columns', prefix: 'prediction', columns: [{ cls: '1', column: 'prediction' }] },
    ]);
    expect(r.features).toEqual([]);
    // Not when chosen, for a regression, outside [0, 1], or beside a label of more classes.
    expect(detectRoles([label, score], 10, { pred: 'prediction' }).pred).toBe('prediction');
    expect(detectRoles([label, score], 10, { task: 'regression' }).pred).toBe('prediction');
    const wide = { ...score, histogram: { min: -2, max: 3, counts: null } };
    expect(detectRoles([label, wide], 10).pred).toBe('prediction');
    const three = { ...label, distinct: 3, histogram: { min: 0, max: 2, counts: null } };
    expect(detectRoles([three, score], 10).pred).toBe('prediction');
  });
  test('probability columns must be numeric', () => {
    expect(
      detectRoles([col('label', 'string'), col('prob_a', 'string'), col('prob_b', 'string')], 10).probs,
    ).toBeNull();
  });
  test("a binary prediction's confidence (PyCaret's prediction_score, every value ½ or more) is found; a probability of one class is not", () => {
    const top = (...v: string[]) => ({ distinct: v.length, top: v.map((value) => ({ value, count: 1 })) });
    const label = col('label', 'string', top('no', 'yes'));
    const pred = col('prediction_label', 'string', top('yes', 'no'));
    const score = (min: number) => col('prediction_score', 'numeric', { histogram: { min, max: 1, counts: null } });
    expect(confidenceColumn([label, pred, score(0.5)], 10)).toEqual({
      pred: 'prediction_label',
      column: 'prediction_score',
      classes: ['no', 'yes'],
      separable: false,
    });
    expect(confidenceColumn([label, pred, score(0.2)], 10)).toBeNull();
    const three = col('prediction_label', 'string', top('a', 'b', 'c'));
    expect(confidenceColumn([label, three, score(0.6)], 10)).toBeNull();
    // A `score` column in [½, 1] may be p(positive) at a threshold above ½: the data must tell (separable).
    const pred2 = col('pred', 'string', top('no', 'yes'));
    expect(confidenceColumn([label, pred2, { ...score(0.55), name: 'score' }], 10)).toEqual({
      pred: 'pred',
      column: 'score',
      classes: ['no', 'yes'],
      separable: true,
    });
    expect(confidenceColumn([label, pred2, { ...score(0.45), name: 'score' }], 10)).toBeNull();
  });
  test('task from the label: many distinct numbers → regression, few integers → classification', () => {
    expect(detectRoles([col('y', 'numeric', { distinct: 400 })], 442).task).toBe('regression');
    expect(detectRoles([col('y', 'integer', { distinct: 4 })], 442).task).toBe('classification');
    expect(detectRoles([col('y', 'boolean', { distinct: 2 })], 442).task).toBe('classification');
    // Few whole numbers predicted with fractions (a 1–5 rating predicted as 3.712): a regression.
    const rating = col('rating', 'integer', { distinct: 5 });
    const pred = (fractional: boolean) => col('rating_pred', 'numeric', { fractional, distinct: 200 });
    expect(detectRoles([rating, pred(true)], 442).task).toBe('regression');
    expect(detectRoles([rating, pred(false)], 442).task).toBe('classification');
    expect(detectRoles([rating, pred(true)], 442, { task: 'classification' }).task).toBe('classification');
  });
  test('text, image and pixel columns are kept apart from features', () => {
    const pixels = Array.from({ length: 64 }, (_, i) => col(`pixel_${i}`, 'integer'));
    const r = detectRoles(
      [
        col('label', 'string'),
        col('review', 'string', { avgLength: 180 }),
        col('thumb', 'string', { sample: ['data:image/png;base64,AAAA', 'https://x.org/a.jpg'] }),
        col('city', 'string', { avgLength: 6, distinct: 12 }),
        ...pixels,
      ],
      1000,
    );
    expect(r.text).toEqual(['review']);
    expect(r.image).toEqual(['thumb']);
    expect(r.pixels).toHaveLength(64);
    expect(r.features).toEqual(['city']);
  });
  test("other columns named as predictions (another model's) are not features, unless the prediction is none", () => {
    const names = ['pred_b', 'model2_prediction', 'SpeciesPred', 'price_hat', 'yhat_v2', 'predicted_labels_old'];
    const keep = ['predator', 'hat_size', 'prediabetes', 'x_hatch'];
    const cols = [col('label'), col('pred'), ...[...names, ...keep].map((n) => col(n))];
    for (const n of names) expect(namedAsPrediction(n), n).toBe(true);
    for (const n of keep) expect(namedAsPrediction(n), n).toBe(false);
    const r = detectRoles(cols, 100);
    expect(r.pred).toBe('pred');
    expect(r.features).toEqual(['predator', 'hat_size', 'prediabetes', 'x_hatch']);
    expect(detectRoles(cols, 100, { pred: null }).features).toEqual(['pred', ...names, ...keep]);
  });
  test('overrides win; null means none; a missing column is none', () => {
    const cols = [col('label', 'string'), col('pred', 'string'), col('other', 'string'), col('prob_a'), col('prob_b')];
    const r = detectRoles(cols, 10, { label: 'other', pred: null, probs: null, id: 'nope' });
    expect(r).toMatchObject({ label: 'other', pred: null, probs: null, id: null });
    expect(r.features).toEqual(['label', 'pred', 'prob_a', 'prob_b']);
  });
  test('when another model is chosen, the columns detection would take are its outputs, not features', () => {
    const cols = [
      col('label', 'string'),
      col('pred', 'string'),
      col('x'),
      col('prob_a'),
      col('prob_b'),
      col('m_pred', 'string'),
      col('m_a'),
      col('m_b'),
    ];
    const r = detectRoles(cols, 10, { pred: 'm_pred', probs: 'm_' });
    expect(r).toMatchObject({ pred: 'm_pred', probs: { kind: 'columns', prefix: 'm_' } });
    expect(r.features).toEqual(['x']);
  });
});

describe("a binary score column (scikit-learn's y_score)", () => {
  const top = (...v: string[]) => v.map((value) => ({ value, count: 1 }));
  const score = (min = 0, max = 1) => col('y_score', 'numeric', { histogram: { min, max, counts: null } });
  test('is the probability of the larger class of a binary label', () => {
    const text = detectRoles([col('y_true', 'string', { distinct: 2, top: top('yes', 'no') }), score()], 10);
    expect(text.probs).toEqual({ kind: 'columns', prefix: 'y_score', columns: [{ cls: 'yes', column: 'y_score' }] });
    const ints = detectRoles(
      [col('label', 'integer', { distinct: 2, histogram: { min: -1, max: 1, counts: null } }), score()],
      10,
    );
    expect(ints.probs).toMatchObject({ columns: [{ cls: '1', column: 'y_score' }] });
    expect(ints.features).toEqual([]);
  });
  test('not with three classes, values outside [0, 1], or prob_ columns present; by name when asked', () => {
    const label = col('label', 'string', { distinct: 2, top: top('a', 'b') });
    expect(
      detectRoles([col('label', 'string', { distinct: 3, top: top('a', 'b', 'c') }), score()], 10).probs,
    ).toBeNull();
    expect(detectRoles([label, score(-2, 3)], 10).probs).toBeNull();
    expect(detectRoles([label, score(), col('prob_b')], 10).probs).toMatchObject({ prefix: 'prob_' });
    const named = col('confidence', 'numeric', { histogram: { min: 0, max: 1, counts: null } });
    expect(detectRoles([label, named], 10).probs).toBeNull();
    expect(detectRoles([label, named], 10, { probs: 'confidence' }).probs).toMatchObject({
      columns: [{ cls: 'b', column: 'confidence' }],
    });
  });
});

describe('probability columns named as the classes (pandas: DataFrame(predict_proba(X), columns=classes_))', () => {
  const unit = (name: string, max = 1) => col(name, 'numeric', { histogram: { min: 0, max, counts: null } });
  const label = col('label', 'string', { distinct: 3, top: ['a', 'b', 'c'].map((value) => ({ value, count: 5 })) });
  test('one column in [0, 1] per class, not a feature', () => {
    const r = detectRoles([label, unit('a'), unit('b'), unit('c'), col('x')], 10);
    expect(r.probs).toEqual({
      kind: 'columns',
      prefix: '',
      columns: ['a', 'b', 'c'].map((c) => ({ cls: c, column: c })),
    });
    expect(r.features).toEqual(['x']);
  });
  test('not when a class has no column, a column leaves [0, 1], or the classes are not all known', () => {
    expect(detectRoles([label, unit('a'), unit('b')], 10).probs).toBeNull();
    expect(detectRoles([label, unit('a'), unit('b'), unit('c', 7)], 10).probs).toBeNull();
    const many = col('label', 'string', { distinct: 9, top: ['a', 'b', 'c'].map((value) => ({ value, count: 5 })) });
    expect(detectRoles([many, unit('a'), unit('b'), unit('c')], 10).probs).toBeNull();
  });
  test('whole-number classes min…max name columns "0", "1", …; chosen by hand with the prefix ""', () => {
    const ints = col('y', 'integer', { distinct: 2, histogram: { min: 0, max: 1, counts: null } });
    expect(detectRoles([ints, unit('0'), unit('1')], 10).probs).toMatchObject({
      prefix: '',
      columns: [{ cls: '0' }, { cls: '1' }],
    });
    expect(
      detectRoles([label, unit('a'), unit('b'), unit('c'), unit('prob_a')], 10, { probs: '' }).probs,
    ).toMatchObject({
      prefix: '',
    });
  });
});

describe('conventional names written another way', () => {
  test('spaces, capitals, camelCase and synonyms', () => {
    const r = (names: string[]) =>
      detectRoles(
        names.map((n) => col(n, 'string', { distinct: 2 })),
        10,
      );
    expect(r(['Ground Truth', 'Model Prediction', 'x'])).toMatchObject({
      label: 'Ground Truth',
      pred: 'Model Prediction',
    });
    expect(r(['yTrue', 'yPred', 'sampleId'])).toMatchObject({ label: 'yTrue', pred: 'yPred', id: 'sampleId' });
    expect(r(['true_label', 'predicted_label'])).toMatchObject({ label: 'true_label', pred: 'predicted_label' });
    expect(r(['gold-label', 'y_hat'])).toMatchObject({ label: 'gold-label', pred: 'y_hat' });
    // An exact name wins over one written another way.
    expect(r(['Y True', 'y_true', 'pred']).label).toBe('y_true');
  });
});

describe('embedding', () => {
  test('numbered emb_ columns (in number order) or a list column; never features', () => {
    const cols = [col('id', 'integer'), col('label', 'string'), col('emb_10'), col('emb_2'), col('emb_x'), col('size')];
    const r = detectRoles(cols, 10);
    expect(r.embedding).toEqual({ kind: 'columns', prefix: 'emb_', columns: ['emb_2', 'emb_10'] });
    expect(r.features).toEqual(['emb_x', 'size']);
    expect(detectRoles([col('label', 'string'), col('embedding', 'list')], 10).embedding).toEqual({
      kind: 'list',
      column: 'embedding',
    });
    expect(detectRoles([col('label', 'string'), col('emb_0')], 10).embedding).toBeNull();
  });

  test('chosen by hand: a prefix, a list column, or none', () => {
    const cols = [col('label', 'string'), col('v1'), col('v2'), col('emb_0'), col('emb_1'), col('vecs', 'list')];
    expect(detectRoles(cols, 10, { embedding: 'v' }).embedding).toEqual({
      kind: 'columns',
      prefix: 'v',
      columns: ['v1', 'v2'],
    });
    expect(detectRoles(cols, 10, { embedding: 'vecs' }).embedding).toEqual({ kind: 'list', column: 'vecs' });
    const none = detectRoles(cols, 10, { embedding: null });
    expect(none.embedding).toBeNull();
    expect(none.features).toEqual(['v1', 'v2', 'emb_0', 'emb_1', 'vecs']);
  });
});

test('role overrides round-trip through the page URL', () => {
  const p = new URLSearchParams('data=x.csv');
  overridesToParams({ label: 'species', pred: null, probs: 'prob_', task: 'regression', embedding: 'emb_' }, p);
  expect(p.toString()).toBe('data=x.csv&label=species&pred=-&probs=prob_&task=regression&embedding=emb_');
  expect(overridesFromParams(p)).toEqual({
    label: 'species',
    pred: null,
    probs: 'prob_',
    task: 'regression',
    embedding: 'emb_',
  });
});

describe('predictionsOf: ground truth in one file, the model output in another', () => {
  const top = (...v: string[]) => ({ distinct: v.length, top: v.map((value) => ({ value, count: 1 })) });
  const id = col('id', 'integer');
  const unit = (name: string) =>
    col(name, 'numeric', { fractional: true, histogram: { min: 0.01, max: 0.99, counts: null } });
  const animal = col('animal', 'string', top('cat', 'dog', 'fox'));
  test('the column named as the label: its class, or a binary score', () => {
    expect(predictionsOf([id, animal], [id, col('animal', 'string', top('cat', 'dog'))], 10)).toEqual({
      id: 'id',
      label: 'animal',
      pred: 'animal',
      probs: null,
    });
    const survived = col('Survived', 'integer', { distinct: 2, histogram: { min: 0, max: 1, counts: null } });
    const pid = col('PassengerId', 'integer');
    expect(predictionsOf([pid, survived], [pid, unit('Survived')], 10)).toEqual({
      id: 'PassengerId',
      label: 'Survived',
      pred: null,
      probs: { kind: 'columns', prefix: 'Survived', columns: [{ cls: '1', column: 'Survived' }] },
    });
  });
  test('else what detection finds there, a column per class, or a prediction of fractions as a score', () => {
    const label = col('label', 'string', top('cat', 'dog', 'fox'));
    const plan = predictionsOf(
      [id, label],
      [id, col('pred', 'string'), unit('prob_cat'), unit('prob_dog'), unit('prob_fox')],
      10,
    );
    expect(typeof plan !== 'string' && [plan.pred, plan.probs?.kind === 'columns' && plan.probs.prefix]).toEqual([
      'pred',
      'prob_',
    ]);
    const byClass = predictionsOf([id, col('target', 'string', top('A', 'B'))], [id, unit('B'), unit('A')], 10);
    expect(typeof byClass !== 'string' && byClass.probs).toEqual({
      kind: 'columns',
      prefix: '',
      columns: [
        { cls: 'B', column: 'B' },
        { cls: 'A', column: 'A' },
      ],
    });
    const binary = col('target', 'integer', { distinct: 2, histogram: { min: 0, max: 1, counts: null } });
    const score = predictionsOf([id, binary], [id, unit('prediction')], 10);
    expect(typeof score !== 'string' && [score.pred, score.probs]).toEqual([
      null,
      { kind: 'columns', prefix: 'prediction', columns: [{ cls: '1', column: 'prediction' }] },
    ]);
  });
  test('what cannot be told is said', () => {
    expect(predictionsOf([col('key', 'integer'), animal], [col('key', 'integer'), animal], 10)).toBe(
      'The two files share no id column (both have key, animal).',
    );
    expect(predictionsOf([id, col('x')], [id, col('y', 'string')], 10)).toBe(
      'No label column found in the ground-truth file.',
    );
    expect(predictionsOf([id, col('label', 'string', top('a', 'b'))], [id, col('notes', 'string')], 10)).toMatch(
      /no column named label/,
    );
  });
});

test("a column saying whether the prediction is right (Weka's error, a notebook's is_correct) is never a feature", () => {
  const cols = [
    col('label', 'string'),
    col('pred', 'string'),
    col('error', 'string'),
    col('is_correct', 'boolean'),
    col('age'),
  ];
  expect(detectRoles(cols, 10).features).toEqual(['age']);
  // Without a prediction, such a column is the user's to slice by.
  expect(detectRoles([col('label', 'string'), col('error'), col('age')], 10).features).toEqual(['error', 'age']);
});

test("a tool's copies of the label and its prediction (SAS's F_ and U_, SPSS Modeler's $CC-) are never features", () => {
  const unit: Partial<ColumnProfile> = { histogram: { min: 0, max: 1, counts: null } };
  const sas = detectRoles(
    [
      col('BAD', 'integer', { distinct: 2 }),
      col('LOAN', 'integer'),
      col('F_BAD', 'integer', { distinct: 2 }),
      col('I_BAD', 'integer', { distinct: 2 }),
      col('U_BAD', 'integer', { distinct: 2 }),
      col('P_BAD1', 'numeric', unit),
      col('P_BAD0', 'numeric', unit),
    ],
    10,
  );
  expect(sas).toMatchObject({ label: 'BAD', pred: 'I_BAD', features: ['LOAN'] });
  expect(sas.probs).toMatchObject({ columns: [{ cls: '1' }, { cls: '0' }] });
  const spss = detectRoles(
    [col('churn', 'string', { distinct: 2 }), col('$C-churn', 'string'), col('$CC-churn', 'numeric', unit), col('age')],
    10,
  );
  expect(spss).toMatchObject({ label: 'churn', pred: '$C-churn', features: ['age'] });
  // Chosen as no prediction, they are the user's to slice by.
  expect(
    detectRoles([col('BAD', 'integer'), col('F_BAD', 'integer'), col('LOAN')], 10, { label: 'BAD', pred: null })
      .features,
  ).toEqual(['F_BAD', 'LOAN']);
});
