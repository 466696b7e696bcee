/**
 * A model in memory as the package's callers hold it: an opaque ModelHandle, which they pass on to
 * `saveModelDir` or `Extractor.fromModel`. JointModel's layers and tensors stay out of the public types,
 * so that changing them is not a breaking change (review 31c finding 3).
 */
import { described, UserError } from '../errors.js';
import { JointModel } from './joint.js';

declare const modelBrand: unique symbol;

/** A loaded or trained model: give it to `saveModelDir` or `Extractor.fromModel`. */
export interface ModelHandle {
  readonly [modelBrand]: 'entrel model';
}

/** The handle of `model` (the same object, typed opaque). */
export const modelHandle = (model: JointModel): ModelHandle => model as unknown as ModelHandle;

/** The model behind `handle`; anything else a JavaScript caller passes is a UserError naming `field`. */
export function modelOf(handle: ModelHandle, field = 'model'): JointModel {
  if (!(handle instanceof JointModel)) throw new UserError(`must be a model from loadModelDir or Extractor.model, got ${described(handle)}`, { field });
  return handle;
}
