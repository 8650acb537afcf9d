/** Replaced by the AppConfig deployment in the next commit. */
export async function deployPolicy(_: { text: string; stack: string; region?: string; wait: boolean; log: (line: string) => void }): Promise<void> {
  throw new Error('not yet');
}
