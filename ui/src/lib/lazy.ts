// Parts of the UI that are not on the way to the first screen, loaded when first shown: the
// YAML editor brings CodeMirror, most of the script's weight, which the page would otherwise
// parse at every start.
export const loadYamlEditor = () => import('./components/YamlEditor.svelte');
