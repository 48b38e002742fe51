// The type of the TensorFlow.js namespace the trainer works with. Only a type: the object itself
// comes from the backend module chosen at start (tfjs-node re-exports tfjs), so no trainer module
// imports `@tensorflow/tfjs` at run time and a second, incompatible copy can never be loaded.
export type Tf = typeof import('@tensorflow/tfjs');
