/** Types of ./abis.mjs (the ABI generator), for the test that checks the generated files. */
export interface AbiFile {
  file: string;
  name: string;
  source: string;
  abi: () => readonly { type: string; name?: string }[];
}
export declare const ABIS: AbiFile[];
export declare function render(entry: AbiFile): Promise<string>;
