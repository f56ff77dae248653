export const packageName = '@strictmail/smtp-core';
