import { ApiObject } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigMap, EnvValue, IConfigMap, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigMapMount } from './pod-template';
import { checkAbsolutePath, checkAll, checkBoolean, checkDns1123Label, checkLabels, detachOnError, invalidProp } from './props';
import { createJsonFormObject } from './json-form';
import { NAME_LABEL, recommendedLabels } from './labels';

/** Props of an {@link AppConfig}. */
export interface AppConfigProps {
  /** Base name: the ConfigMap is `<name>-config` unless `configMapName` is given. */
  readonly name: string;
  /** The exact name of the ConfigMap, e.g. one an image expects. @default `<name>-config` */
  readonly configMapName?: string;
  /** Literal entries: key to value. @default - none */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * Entries read from files at synth time: key to a path, absolute or relative to the working
   * directory. Files that are not UTF-8 text go to `binaryData`.
   * @default - none
   */
  readonly files?: Readonly<Record<string, string>>;
  /** Refuse every later change of the data (Kubernetes stops watching it; changing it means a new name). @default false */
  readonly immutable?: boolean;
  /** Labels on the ConfigMap, over the recommended ones. @default - the chart's recommended labels and `app.kubernetes.io/name: <name>` */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options of {@link AppConfig.mount}. @inline */
export interface AppConfigMountOptions {
  /** Allow the pod to start without the ConfigMap. @default false */
  readonly optional?: boolean;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;
/** The API server refuses ConfigMaps whose values add up to more than 1 MiB. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/**
 * A ConfigMap from literals and files, with helpers that hand its keys to containers: as
 * environment variables ({@link envValue}) or as files ({@link mount}).
 */
@detachOnError
export class AppConfig extends Construct {
  public readonly configMap: ApiObject;
  public readonly configMapName: string;
  /** Keys of text entries (`data`), usable as files and as environment variables. */
  public readonly textKeys: readonly string[];
  /** Keys of binary entries (`binaryData`), usable as files only. */
  public readonly binaryKeys: readonly string[];
  private readonly reference: IConfigMap;

  constructor(scope: Construct, id: string, props: AppConfigProps) {
    super(scope, id);
    const data: Record<string, string> = {};
    const binaryData: Record<string, Buffer> = {};
    checkAll(this, [
      () => checkDns1123Label(this, 'name', props.name),
      // A label, not just a subdomain: a mounted ConfigMap's volume is named after it.
      () => checkDns1123Label(this, 'configMapName', props.configMapName ?? `${props.name}-config`),
      () => checkLabels(this, 'labels', props.labels),
      () => checkBoolean(this, 'immutable', props.immutable),
      ...Object.entries(props.data ?? {}).map(([key, value]) => () => {
        this.checkKey('data', key);
        if (typeof value !== 'string') throw invalidProp(this, `data["${key}"]`, value, 'must be a string (quote numbers and booleans)');
        data[key] = value;
      }),
      ...Object.entries(props.files ?? {}).map(([key, file]) => () => {
        this.checkKey('files', key);
        if (props.data && Object.prototype.hasOwnProperty.call(props.data, key)) {
          throw invalidProp(this, 'files key', key, 'is also a key of `data`: each key may appear once');
        }
        const content = this.readFile(key, file);
        if (isUtf8(content)) data[key] = content.toString('utf8');
        else binaryData[key] = content;
      }),
      // Over the entries read so far: a total above the limit is one whatever the bad entries hold.
      () => {
        const size = Object.values(data).reduce((sum, value) => sum + Buffer.byteLength(value, 'utf8'), 0)
          + Object.values(binaryData).reduce((sum, value) => sum + value.length, 0);
        if (size > MAX_CONFIG_MAP_BYTES) {
          throw invalidProp(this, 'data and files', `${size} bytes`, `must add up to at most ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB), the API server's limit for a ConfigMap`);
        }
      },
    ]);
    this.configMapName = props.configMapName ?? `${props.name}-config`;

    this.textKeys = Object.keys(data);
    this.binaryKeys = Object.keys(binaryData);
    const binaryEntries = Object.entries(binaryData).map(([key, value]) => [key, value.toString('base64')]);
    this.configMap = createJsonFormObject(k8s.KubeConfigMap, this, 'ConfigMap', {
      metadata: { name: this.configMapName, labels: recommendedLabels(this, { [NAME_LABEL]: props.name }, props.labels, {}) },
      data: this.textKeys.length ? data : undefined,
      binaryData: binaryEntries.length ? Object.fromEntries(binaryEntries) : undefined,
      immutable: props.immutable,
    });
    this.reference = ConfigMap.fromConfigMapName(this, 'Reference', this.configMapName);
  }

  /** The value of text entry `key`, for a container's `env`. */
  public envValue(key: string): EnvValue {
    if (!this.textKeys.includes(key)) {
      const binary = this.binaryKeys.includes(key) ? ' (binary entries can only be mounted as files)' : '';
      throw invalidProp(this, 'envValue key', key, `must be a text key of ${this.configMapName}${binary}: ${this.textKeys.join(', ') || 'it has none'}`);
    }
    return EnvValue.fromConfigMap(this.reference, key);
  }

  /** Every entry as a read-only file in directory `mountPath`, for a container's `configMapMounts`. */
  public mount(mountPath: string, options: AppConfigMountOptions = {}): ConfigMapMount {
    checkAbsolutePath(this, 'mount path', mountPath);
    return { configMapName: this.configMapName, mountPath, optional: options.optional };
  }

  private checkKey(field: string, key: string): void {
    if (!CONFIG_KEY.test(key) || key.length > MAX_KEY_LENGTH) {
      throw invalidProp(this, `${field} key`, key, `must be a ConfigMap key: at most ${MAX_KEY_LENGTH} characters of letters, digits, "-", "_" and "."`);
    }
    if (key === '.' || key === '..') throw invalidProp(this, `${field} key`, key, 'must not be "." or ".." (it becomes a file name)');
  }

  private readFile(key: string, file: string): Buffer {
    const resolved = path.resolve(process.cwd(), file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch {
      throw invalidProp(this, `files["${key}"]`, file, `must be an existing file (looked for ${resolved})`);
    }
    if (!stat.isFile()) throw invalidProp(this, `files["${key}"]`, file, `must be a file, not a directory or device (${resolved})`);
    return fs.readFileSync(resolved);
  }
}

function isUtf8(content: Buffer): boolean {
  return Buffer.from(content.toString('utf8'), 'utf8').equals(content);
}
