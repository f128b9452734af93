export type BundleTarget = 'cli' | 'test';
export declare const cliMain: string;
export declare const cliMainUrl: string;
export declare function bundledPath(target: BundleTarget, entry: string): string;
export declare function staleReason(target: BundleTarget): string | null;
export declare function ensureBundle(target: BundleTarget, say?: (msg: string) => void): Promise<boolean>;
export declare function troupeArgv(args: string[]): string[];
