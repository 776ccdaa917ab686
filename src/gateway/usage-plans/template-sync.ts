/**
 * Makes a template's API keys and usage plans current in the registry at each deploy: new ones are created (a key
 * without `Value` gets a generated one, kept across restarts and redeploys), changed ones updated in place (the key's
 * id, creation date and usage stay), and the ones the template no longer declares removed. Keys and plans made
 * through the management API are left alone, and so are the management API's keys attached to a template plan.
 */
import type { ApiKeySpec, AppModel, UsagePlanSpec } from '../../app/model.js';
import type { UsagePlanRegistry } from './registry.js';

/** A template key with its value, for the console banner. */
export interface TemplateKey {
  readonly spec: ApiKeySpec;
  readonly value: string;
}

export function applyTemplate(registry: UsagePlanRegistry, spec: AppModel['usagePlans']): TemplateKey[] {
  const keys = spec?.apiKeys ?? [];
  const plans = spec?.plans ?? [];
  for (const key of registry.listKeys()) if (key.source === 'template' && !keys.some((k) => k.id === key.id)) registry.deleteKey(key.id);
  for (const plan of registry.listPlans()) if (plan.source === 'template' && !plans.some((p) => p.id === plan.id)) registry.deletePlan(plan.id);
  const shown = keys.map((k) => ({ spec: k, value: syncKey(registry, k) }));
  for (const plan of plans) syncPlan(registry, plan);
  return shown;
}

/** The key's value after the sync. */
function syncKey(registry: UsagePlanRegistry, spec: ApiKeySpec): string {
  const stageKeys = spec.stageKeys.map((s) => `${s.restApiId}/${s.stageName}`);
  const fields = { name: spec.name, description: spec.description, enabled: spec.enabled };
  const existing = registry.findKey(spec.id);
  if (existing === undefined) {
    const input = { ...fields, value: spec.value, customerId: undefined, stageKeys };
    return registry.createKey(input, 'template', spec.id, spec.logicalId).value;
  }
  if (spec.value !== undefined) registry.setValue(spec.id, spec.value);
  const changed = existing.name !== spec.name || existing.description !== spec.description || existing.enabled !== spec.enabled ||
    existing.stageKeys.join() !== stageKeys.join();
  if (changed) registry.updateKey(spec.id, { ...fields, stageKeys });
  return spec.value ?? registry.valueOf(existing);
}

function syncPlan(registry: UsagePlanRegistry, spec: UsagePlanSpec): void {
  const { id, name, description, apiStages, throttle, quota } = spec;
  registry.putPlan({ id, name, description, apiStages, throttle, quota, source: 'template' });
  const keyIds = new Set(spec.keyIds);
  for (const keyId of registry.planKeyIds(id)) if (registry.findKey(keyId)?.source === 'api') keyIds.add(keyId);
  registry.setPlanKeys(id, keyIds);
}
