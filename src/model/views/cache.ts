/**
 * Views owned by the model: a derived index (Istio meshes, hosts and subsets, merged MCS services,
 * workloads by namespace) is built once per ClusterSet, on first use, and kept in the set's own
 * `views` (`ClusterSetModel.views`). A set belongs to one run, so a view lives exactly as long as
 * the run's model, and no module keeps a cache of its own.
 */
import type { ClusterSetModel } from '../types.js';

/** A view's key: a symbol its module owns, typed with the view it stands for. */
export type ViewKey<T> = symbol & { readonly __view?: T };

/** Makes the key of a view (`name` for debugging). */
export function viewKey<T>(name: string): ViewKey<T> {
  return Symbol(name);
}

/** The view `key` of `set`: built by `build` the first time it is asked for, then kept with the set. */
export function viewOf<T>(set: ClusterSetModel, key: ViewKey<T>, build: () => T): T {
  if (set.views.has(key)) return set.views.get(key) as T;
  const view = build();
  set.views.set(key, view);
  return view;
}
