/** What `f` writes to this process's stderr, kept from it. */
export async function stderrOf(f: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write;
  let out = '';
  process.stderr.write = ((chunk: string) => ((out += chunk), true)) as typeof write;
  try {
    await f();
  } finally {
    process.stderr.write = write;
  }
  return out;
}
