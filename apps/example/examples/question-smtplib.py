#!/usr/bin/env python3
"""The code of the question that started strictmail (a 2015 Q&A about Python's smtplib, edited
version), as a client under `strictmail-mock audit`: a hand-built SSLContext (PROTOCOL_SSLv23 without
SSLv2/SSLv3, the hand-picked cipher string, CERT_REQUIRED), STARTTLS with the reply code checked,
then login. Two changes only, both required by the client command contract: the CA comes from
SMTP_CA_FILE instead of set_default_verify_paths(), and SMTP_SECURITY=implicit uses SMTP_SSL with the
same context. A fixed EHLO name avoids smtplib's reverse DNS lookup. Exit 0 means "sent".

    strictmail-mock audit --cmd 'python3 apps/example/examples/question-smtplib.py'
"""
import os
import smtplib
import ssl
import sys
import warnings
from email.message import EmailMessage

# The question's cipher string, verbatim.
_DEFAULT_CIPHERS = (
    'ECDH+AESGCM:DH+AESGCM:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:ECDH+HIGH:'
    'DH+HIGH:ECDH+3DES:DH+3DES:RSA+AESGCM:RSA+AES:RSA+HIGH:RSA+3DES:!aNULL:'
    '!eNULL:!MD5')
TIMEOUT_SECONDS = 10
LOCAL_HOSTNAME = "audit-client.invalid"


def question_context(cafile: str) -> ssl.SSLContext:
    # "only TLSv1 or higher", as in the question.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ssl.SSLContext(ssl.PROTOCOL_SSLv23)
    context.options |= ssl.OP_NO_SSLv2
    context.options |= ssl.OP_NO_SSLv3
    context.set_ciphers(_DEFAULT_CIPHERS)
    context.load_verify_locations(cafile=cafile)  # the question: context.set_default_verify_paths()
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def main() -> int:
    env = os.environ
    host, port = env["SMTP_HOST"], int(env["SMTP_PORT"])
    context = question_context(env["SMTP_CA_FILE"])
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
                if smtp.starttls(context=context)[0] != 220:
                    print("not sent: STARTTLS was not answered with 220", file=sys.stderr)
                    return 1  # cancel if connection is not encrypted
                smtp.login(env["SMTP_USER"], env["SMTP_PASS"])
                smtp.send_message(message)
    except Exception as error:
        print(f"not sent: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
