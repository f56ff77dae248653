export const packageName = '@strictmail/nodemailer';
