import { Writable } from 'node:stream';

/** A stream that keeps what a logger writes, as lines and as parsed JSON objects. */
export class MemoryStream extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): string[] {
    return this.text.split('\n').filter((line) => line.length > 0);
  }
  records(): Record<string, unknown>[] {
    return this.lines().map((line) => JSON.parse(line));
  }
}
