export const entryindex = 'index';
