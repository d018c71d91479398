/**
 * `parseInjectEnvs` mirrors istio/istio `pkg/kube/inject/webhook.go` (`parseInjectEnvs`,
 * `URLParameterToEnv`): the cluster ID and network a remote's sidecar-injection path gives the
 * proxies the primary's istiod injects. Cases after istio's `pkg/kube/inject/webhook_test.go`
 * (`TestParseInjectEnvs`), plus the paths of istio.io's multicluster guides.
 */
import { describe, expect, it } from 'vitest';
import { parseInjectEnvs } from '../../src/model/istio.js';

describe('parseInjectEnvs', () => {
  it.each([
    ['/', {}],
    ['/inject', {}],
    ['/inject/', {}],
    ['/inject/cluster', {}],
    ['/inject/cluster/cluster1', { ISTIO_META_CLUSTER_ID: 'cluster1' }],
    ['/inject/cluster/cluster--slash--1/net/network--slash--1', { ISTIO_META_CLUSTER_ID: 'cluster/1', ISTIO_META_NETWORK: 'network/1' }],
    ['/inject/cluster/cluster1/custom_env/foo', { ISTIO_META_CLUSTER_ID: 'cluster1', CUSTOM_ENV: 'foo' }],
    ['/inject/cluster/cluster2/net/network2', { ISTIO_META_CLUSTER_ID: 'cluster2', ISTIO_META_NETWORK: 'network2' }],
    ['/inject/net/network1/cluster/cluster1/', { ISTIO_META_CLUSTER_ID: 'cluster1', ISTIO_META_NETWORK: 'network1' }],
    ['/inject/cluster/cluster1/net', { ISTIO_META_CLUSTER_ID: 'cluster1' }],
    ['/inject/cluster/a/cluster/b', { ISTIO_META_CLUSTER_ID: 'b' }],
    ['/inject/:ENV:cluster=cluster1:ENV:net=network1', { ISTIO_META_CLUSTER_ID: 'cluster1', ISTIO_META_NETWORK: 'network1' }],
    ['/inject/:ENV:cluster=cluster1:ENV:=x:ENV:net', { ISTIO_META_CLUSTER_ID: 'cluster1' }],
    ['/inject/constructor/x', { CONSTRUCTOR: 'x' }],
  ])('%s', (path, envs) => {
    expect(Object.fromEntries(parseInjectEnvs(path))).toEqual(envs);
  });
});
