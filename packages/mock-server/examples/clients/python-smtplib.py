#!/usr/bin/env python3
"""A client under audit: Python's smtplib, following the usual recipe from the documentation
(SMTP + starttls(context=ssl.create_default_context(cafile=...)) + login + send_message, or SMTP_SSL
for implicit TLS), with a fixed EHLO name so that no DNS lookup happens. It reads the strictmail-mock client command contract from the environment and
exits 0 only when send_message returned. The body file is read as is (newline=''), so whatever
normalisation happens is smtplib's and the email package's own."""
import os
import smtplib
import ssl
import sys
from email.message import EmailMessage

TIMEOUT_SECONDS = 10  # per socket operation; the auditor kills the whole run after --timeout-ms anyway
# smtplib's default EHLO name comes from socket.getfqdn(), a reverse DNS lookup that takes seconds on a
# machine without DNS. A fixed name changes nothing about TLS or AUTH.
LOCAL_HOSTNAME = "audit-client.invalid"


def main() -> int:
    env = os.environ
    host, port = env["SMTP_HOST"], int(env["SMTP_PORT"])
    context = ssl.create_default_context(cafile=env["SMTP_CA_FILE"])
    message = EmailMessage()
    message["From"] = env["MAIL_FROM"]
    message["To"] = env["MAIL_TO"]
    message["Subject"] = env["MAIL_SUBJECT"]
    with open(env["MAIL_BODY_FILE"], encoding="utf-8", newline="") as body:
        message.set_content(body.read())
    try:
        if env["SMTP_SECURITY"] == "implicit":
            with smtplib.SMTP_SSL(host, port, LOCAL_HOSTNAME, context=context, timeout=TIMEOUT_SECONDS) as smtp:
                smtp.login(env["SMTP_USER"], env["SMTP_PASS"])
                smtp.send_message(message)
        else:
            with smtplib.SMTP(host, port, LOCAL_HOSTNAME, timeout=TIMEOUT_SECONDS) as smtp:
                smtp.starttls(context=context)
                smtp.login(env["SMTP_USER"], env["SMTP_PASS"])
                smtp.send_message(message)
    except Exception as error:  # the audit only needs "sent" or "not sent", and why
        print(f"not sent: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
