import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnServer } from '@ariadne/testing';

export interface RunningKafka {
  /** `host:port` of the broker. */
  bootstrap: string;
  /** Stops the broker and removes its log directory. */
  stop(): Promise<void>;
}

// Same depth under packages/server in src and dist, so the path holds for both.
const POM = fileURLToPath(new URL('../../../../../test/fixtures/kafka/pom.xml', import.meta.url));
const JARS = join(POM, '..', 'target', 'dependency');

const JAVA_MISSING = 'Kafka needs Java 17 or later: apt-get install openjdk-17-jre-headless';

/**
 * Starts one Apache Kafka broker in KRaft mode (broker and controller in one JVM) on free loopback
 * ports, from the jars `test/fixtures/kafka/pom.xml` names, which Maven copies from Maven Central
 * (through ~/.m2) on first use. A small heap and the C1 compiler keep start-up at a few seconds.
 */
export async function startKafka(): Promise<RunningKafka> {
  ensureJars();
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'ariadne-kafka-'));
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
    ].join('\n'),
  );
  const jvm = ['-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', join(JARS, '*')];
  try {
    // A random cluster id, 16 bytes in URL-safe base64 without padding, as `kafka-storage random-uuid` makes.
    const clusterId = randomBytes(16).toString('base64url');
    execFileSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config], { stdio: 'pipe' });
    const server = await spawnServer('java', [...jvm, 'kafka.Kafka', config], port, JAVA_MISSING, { timeoutMs: 120_000 });
    return {
      bootstrap: `127.0.0.1:${port}`,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw missingProgram(err, 'java', JAVA_MISSING);
  }
}

/**
 * Copies the broker's jars next to the pom unless a complete copy for this very pom is there: the
 * pom is written beside them last, so a half-finished copy or an edited pom fetches again.
 */
function ensureJars(): void {
  const stamp = join(JARS, 'copied-for-pom.xml');
  const pom = readFileSync(POM, 'utf8');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pom) return;
  rmSync(JARS, { recursive: true, force: true });
  try {
    execFileSync('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies'], { stdio: 'pipe' });
  } catch (err) {
    throw missingProgram(err, 'mvn', 'fetching the Kafka broker jars needs Maven: apt-get install maven');
  }
  writeFileSync(stamp, pom);
}

function missingProgram(err: unknown, program: string, install: string): unknown {
  const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
  if (e.code === 'ENOENT') return new Error(`${program} not found: ${install}`);
  if (e.stderr?.length) e.message += `\n${e.stderr.toString()}`;
  return e;
}
