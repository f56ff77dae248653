export const entryvitest = 'vitest';
