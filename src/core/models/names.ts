/** Model files as Loupe names and recognises them. */

/** A model name as column names use it: letters, digits and _ (from a file's base name). */
export const modelName = (file: string) => {
  // A TF.js model.json is named after its folder.
  const base = /(^|[\\/])model\.json$/i.test(file)
    ? (file.split(/[\\/]/).at(-2) ?? 'model')
    : file.replace(/^.*[\\/]/, '');
  return (
    base
      .replace(/\.(onnx|json)$/i, '')
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'model'
  );
};

/** Whether a parsed JSON file is a TF.js model.json (rather than a preprocessing spec). */
export const isTfjsModelJson = (j: unknown) =>
  !!j && typeof j === 'object' && ('modelTopology' in j || 'weightsManifest' in j);
