// A child process that starts an atomic write (the function the trainer writes its weights and
// checkpoint with) into `file`, writes part of it, says so and waits to be killed: what a trainer
// killed while saving a model leaves behind. Usage: node --import tsx killed-writer.ts <file>
import { open } from 'node:fs/promises';
import { writeFileAtomically } from '../../main/core/files/atomic';

const file = process.argv[2]!;
void writeFileAtomically(file, async (temporary) => {
  const handle = await open(temporary, 'w');
  await handle.write(Buffer.alloc(4096, 7));
  await handle.sync();
  process.stdout.write(`${temporary}\n`);
  await new Promise(() => {}); // never finishes: the parent kills this process here
});
