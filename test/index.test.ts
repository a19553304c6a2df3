import * as api from '../lib';

describe('the root export is the public API', () => {
  test('the constructs, their errors and synthesis are exported', () => {
    for (const name of ['WebApp', 'StatefulApp', 'StatefulAppBase', 'MongoStatefulSet', 'RedisStatefulSet', 'BatchJob', 'ScheduledJob', 'HpaPolicy',
      'WorkloadBase', 'Connections', 'Peer', 'PropsError', 'checkAll', 'invalidProp', 'detachOnError', 'synthesize', 'renderApp', 'renderObjects', 'yamlFiles']) {
      expect(api).toHaveProperty(name);
    }
  });

  test.each([
    'removeHalfBuilt', 'invalidValue', 'DNS1123_LABEL_RULE', 'isDns1123Label', 'checkPodTemplate', 'buildPodTemplate', 'mergeResources',
    'workloadLabels', 'alreadyAutoscaled', 'buildJobTemplate', 'jobPropChecks', 'cronScheduleProblem', 'externalObjectsOf', 'outputHeader',
    'readOutputHeader', 'OUTPUT_MARKER', 'chartsInApplyOrder', 'sourcedObjects', 'writeOutputFiles', 'WRITTEN_RECORD',
  ])('the internal %s is imported from its module, not the root', (name) => {
    expect(api).not.toHaveProperty(name);
  });
});
