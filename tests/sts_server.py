#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""A strict STS/IAM Query-API server on loopback HTTPS for botomfa's tests.

As a command:
    /usr/bin/python3 tests/sts_server.py --state-dir DIR [--config FILE.json]
creates a throwaway CA (DIR/ca.pem) and server certificate, listens on
127.0.0.1 (ephemeral port), writes DIR/url and prints "READY URL".

As a module (see StsServer):
    with sts_server.StsServer(state_dir) as srv:
        srv.url, srv.ca_path, srv.totp(serial), srv.control(...)

Requests are authenticated with SigV4, recomputed by botocore's signer (an
implementation independent of botomfa's), and answered with the XML shapes
of the real services. An unsigned control API on the same port
(/_control) injects faults and exposes a request log without secrets:

POST /_control with a JSON object (keys applied in this order):
    "reset": true              clear faults, clock offset, request log, styles
    "forget_used_codes": true  forget which TOTP codes were used
    "faults": [{"kind": K, "count": N, "seconds": S, "size": B}, ...]
        queued for the next N API requests each; K is one of throttle,
        500, 503, slow (answer after S s), drop, garbage, truncated (the
        real answer cut in half), huge (B bytes, default 64 MiB),
        region_disabled
    "clock_offset": SECONDS    the server's clock runs this far ahead
    "expire_sessions": true    every issued session expires now
    "xml_style": "aws"|"example"   "example": Credentials in the order of
        AWS's documented example, whitespace around every value
    "expiration_format": "milliseconds"|"seconds"
GET /_control/requests          JSON list of {service, action,
    access_key_id, region, status, error_code, fault, params}
GET /_control/totp?serial=ARN[&offset=STEPS]   the code, as text
"""

import argparse
import base64
import collections
import copy
import datetime
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import select
import signal
import socket
import socketserver
import ssl
import string
import struct
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.sax.saxutils import escape as xml_escape

PYTHON = '/usr/bin/python3'

STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/'
IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
API_VERSIONS = {'sts': '2011-06-15', 'iam': '2010-05-08'}
NAMESPACES = {'sts': STS_NS, 'iam': IAM_NS}
# IAM is a global service: AWS only accepts these signing regions for it.
IAM_REGIONS = ('us-east-1', 'cn-north-1', 'us-gov-west-1')
REGION_RE = re.compile(r'^[a-z]{2}(-[a-z]+)+-\d+$')

AMZ_DATE_FORMAT = '%Y%m%dT%H%M%SZ'
MAX_CLOCK_SKEW = 15 * 60
TOTP_STEP = 30
MAX_BODY = 64 * 1024
HUGE_DEFAULT_SIZE = 64 * 1024 * 1024
IDLE_TIMEOUT = 60

ACCOUNT_ID = '123456789012'
ALICE_ACCESS_KEY_ID = 'AKIATESTALICE0000001'
ALICE_SECRET_ACCESS_KEY = 'botomfaTestSecretAlice000000000000000001'
ALICE_MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/alice'
ALICE_MFA_SEED = 'JBSWY3DPEHPK3PXP'
BOB_ACCESS_KEY_ID = 'AKIATESTBOB000000002'
BOB_SECRET_ACCESS_KEY = 'botomfaTestSecretBob00000000000000000002'
BOB_PHONE_SERIAL = 'arn:aws:iam::123456789012:mfa/bob-phone'
BOB_PHONE_SEED = 'KRSXG5CTMVRXEZLU'
BOB_YUBIKEY_SERIAL = 'arn:aws:iam::123456789012:mfa/bob-yubikey'
BOB_YUBIKEY_SEED = 'MFRGGZDFMZTWQ2LK'
CAROL_ACCESS_KEY_ID = 'AKIATESTCAROL0000003'
CAROL_SECRET_ACCESS_KEY = 'botomfaTestSecretCarol000000000000000003'
ADMIN_ROLE_ARN = 'arn:aws:iam::123456789012:role/admin'

DEFAULT_CONFIG = {
    'account': ACCOUNT_ID,
    'users': [
        {'name': 'alice', 'access_key_id': ALICE_ACCESS_KEY_ID,
         'secret_access_key': ALICE_SECRET_ACCESS_KEY,
         'mfa_devices': [{'serial': ALICE_MFA_SERIAL,
                          'seed': ALICE_MFA_SEED}],
         'list_mfa_devices': 'allow'},
        {'name': 'bob', 'access_key_id': BOB_ACCESS_KEY_ID,
         'secret_access_key': BOB_SECRET_ACCESS_KEY,
         'mfa_devices': [{'serial': BOB_PHONE_SERIAL,
                          'seed': BOB_PHONE_SEED},
                         {'serial': BOB_YUBIKEY_SERIAL,
                          'seed': BOB_YUBIKEY_SEED}],
         'list_mfa_devices': 'allow'},
        {'name': 'carol', 'access_key_id': CAROL_ACCESS_KEY_ID,
         'secret_access_key': CAROL_SECRET_ACCESS_KEY,
         'mfa_devices': [], 'list_mfa_devices': 'deny'},
    ],
    'roles': [{'arn': ADMIN_ROLE_ARN, 'mfa_required': True,
               'max_session_duration': 43200}],
}

MSG_INVALID_TOKEN = 'The security token included in the request is invalid.'
MSG_EXPIRED_TOKEN = 'The security token included in the request is expired'
MSG_SIGNATURE = (
    'The request signature we calculated does not match the signature you '
    'provided. Check your AWS Secret Access Key and signing method. Consult '
    'the service documentation for details.')
MSG_MISSING_AUTH = 'Request is missing Authentication Token'
MSG_BAD_CODE = ('MultiFactorAuthentication failed with invalid MFA one time '
                'pass code. ')
MSG_BAD_SERIAL = (
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please '
    'verify your MFA serial number is valid and associated with this user.')
MSG_SESSION_GST = 'Cannot call GetSessionToken with session credentials'
MSG_ROLE_CHAINING = ('The requested DurationSeconds exceeds the 1 hour '
                     'session limit for roles assumed by role chaining.')
MSG_ROLE_MAX = ('The requested DurationSeconds exceeds the '
                'MaxSessionDuration set for this role.')

# Query parameters that may appear in the request log (never TokenCode).
LOGGED_PARAMS = ('Action', 'Version', 'DurationSeconds', 'SerialNumber',
                 'RoleArn', 'RoleSessionName', 'UserName', 'MaxItems',
                 'Marker')

FAULT_ERRORS = {
    'throttle': (400, 'Throttling', 'Rate exceeded', 'Sender'),
    '500': (500, 'InternalFailure',
            'The request processing has failed because of an unknown error, '
            'exception or failure.', 'Receiver'),
    '503': (503, 'ServiceUnavailable',
            'The request has failed due to a temporary failure of the '
            'server.', 'Receiver'),
}
GARBAGE = b'\x00\xff this is {not] XML <<< at all &&&\n'
FAULT_KINDS = ('throttle', '500', '503', 'slow', 'drop', 'garbage',
               'truncated', 'huge', 'region_disabled')


# --------------------------------------------------------------------------
# TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits)

def decode_seed(seed):
    """Decode a base32 TOTP seed, tolerating spaces, case and no padding."""
    text = seed.replace(' ', '').upper()
    return base64.b32decode(text + '=' * (-len(text) % 8))


def totp_code(seed, counter):
    """The 6-digit HOTP value of SEED for time step COUNTER."""
    mac = hmac.new(decode_seed(seed), struct.pack('>Q', counter),
                   hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return '%06d' % (value % 1000000)


def totp(seed, when=None, offset_steps=0):
    """The TOTP code of SEED at epoch time WHEN (default now)."""
    when = time.time() if when is None else when
    return totp_code(seed, int(when // TOTP_STEP) + offset_steps)


# --------------------------------------------------------------------------
# Configuration

def _check(condition, message):
    if not condition:
        raise ValueError(message)


def validate_config(config):
    """Raise ValueError with a readable message if CONFIG is unusable."""
    _check(re.fullmatch(r'\d{12}', str(config.get('account', ''))),
           "'account' must be a 12-digit account id")
    names, keys = set(), set()
    for user in config.get('users', []):
        name = user.get('name', '')
        _check(re.fullmatch(r'[\w+=,.@-]{1,64}', name),
               f'bad user name {name!r}')
        _check(name not in names, f'user {name!r} appears twice')
        names.add(name)
        key = user.get('access_key_id', '')
        _check(re.fullmatch(r'AKIA[A-Z0-9]{16}', key),
               f'user {name}: access_key_id must be AKIA + 16 of [A-Z0-9]')
        _check(key not in keys, f'access key of {name} appears twice')
        keys.add(key)
        _check(len(user.get('secret_access_key', '')) == 40,
               f'user {name}: secret_access_key must be 40 characters')
        _check(user.get('list_mfa_devices', 'allow') in
               ('allow', 'deny', 'all'),
               f'user {name}: list_mfa_devices must be allow, deny or all')
        for device in user.get('mfa_devices', []):
            _check(9 <= len(device.get('serial', '')) <= 256,
                   f'user {name}: device serial must be 9..256 characters')
            decode_seed(device['seed'])
    for role in config.get('roles', []):
        _check(re.fullmatch(r'arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+',
                            role.get('arn', '')),
               f"bad role arn {role.get('arn')!r}")


def load_config(path=None):
    """The configuration in the JSON file PATH, or the default one."""
    if path is None:
        return copy.deepcopy(DEFAULT_CONFIG)
    with open(path, encoding='utf-8') as f:
        config = json.load(f)
    validate_config(config)
    return config


def _stable_id(prefix, text):
    digest = hashlib.sha256(text.encode()).digest()
    alphabet = string.ascii_uppercase + '234567'
    return prefix + ''.join(alphabet[b % 32] for b in digest[:17])


# --------------------------------------------------------------------------
# Errors and XML

class ApiError(Exception):
    """An AWS error response: HTTP status, Code, Message, Type."""

    def __init__(self, status, code, message, kind='Sender'):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.kind = kind


def validation_error(problems):
    count = len(problems)
    noun = 'error' if count == 1 else 'errors'
    return ApiError(400, 'ValidationError',
                    f'{count} validation {noun} detected: '
                    + '; '.join(problems))


def _render(name, content, depth, style, out):
    pad = '  ' * depth
    if isinstance(content, str):
        text = xml_escape(content)
        if style == 'example':
            # AWS's documented examples carry whitespace inside values.
            text = f'\n{pad}  {text}\n{pad}'
        out.append(f'{pad}<{name}>{text}</{name}>')
        return
    out.append(f'{pad}<{name}>')
    for child_name, child in content:
        _render(child_name, child, depth + 1, style, out)
    out.append(f'{pad}</{name}>')


def render_document(root, namespace, children, style='aws'):
    """Serialize ROOT with CHILDREN ((name, str|children) pairs) to bytes."""
    out = [f'<{root} xmlns="{namespace}">']
    for name, content in children:
        _render(name, content, 1, style, out)
    out.append(f'</{root}>')
    return ('\n'.join(out) + '\n').encode('utf-8')


def success_body(action, namespace, result, request_id, style='aws'):
    children = [(f'{action}Result', result),
                ('ResponseMetadata', [('RequestId', request_id)])]
    return render_document(f'{action}Response', namespace, children, style)


def error_body(error, namespace, request_id):
    children = [('Error', [('Type', error.kind), ('Code', error.code),
                           ('Message', error.message)]),
                ('RequestId', request_id)]
    return render_document('ErrorResponse', namespace, children)


# --------------------------------------------------------------------------
# Server state

class Session:
    """Temporary credentials this server issued."""

    def __init__(self, user, secret, token, expiration, mfa, role=None,
                 session_name=None):
        self.user = user
        self.secret = secret
        self.token = token
        self.expiration = expiration
        self.mfa = mfa
        self.role = role
        self.session_name = session_name


class Caller:
    """The authenticated principal of one request."""

    def __init__(self, account, user=None, session=None):
        self.user = user if session is None else session.user
        self.session = session
        self.role = session.role if session else None
        self.mfa = bool(session and session.mfa)
        if self.role is not None:
            role_name = self.role['arn'].rsplit('/', 1)[1]
            self.arn = (f'arn:aws:sts::{account}:assumed-role/'
                        f'{role_name}/{session.session_name}')
            self.user_id = (_stable_id('AROA', self.role['arn'])
                            + ':' + session.session_name)
        elif self.user.get('root'):
            self.arn = f'arn:aws:iam::{account}:root'
            self.user_id = account
        else:
            self.arn = f"arn:aws:iam::{account}:user/{self.user['name']}"
            self.user_id = self.user.get(
                'user_id', _stable_id('AIDA', self.user['name']))


class State:
    """Everything the request handlers share; guarded by self.lock."""

    def __init__(self, config):
        self.lock = threading.Lock()
        self.config = config
        self.account = config['account']
        users = config.get('users', [])
        self.users_by_key = {u['access_key_id']: u for u in users}
        self.users_by_name = {u['name']: u for u in users}
        self.roles = {r['arn']: r for r in config.get('roles', [])}
        self.sessions = {}
        self.used_codes = set()
        self.reset()

    def reset(self):
        self.faults = collections.deque()
        self.clock_offset = 0.0
        self.request_log = []
        self.xml_style = 'aws'
        self.expiration_format = 'milliseconds'

    def now(self):
        return time.time() + self.clock_offset

    def take_fault(self):
        with self.lock:
            if not self.faults:
                return None
            fault = self.faults[0]
            fault['remaining'] -= 1
            if fault['remaining'] <= 0:
                self.faults.popleft()
            return fault

    def record(self, entry):
        with self.lock:
            self.request_log.append(entry)


# --------------------------------------------------------------------------
# SigV4 verification with botocore's signer

def _botocore_signer_class():
    from botocore.auth import SigV4Auth
    from botocore.compat import HTTPHeaders

    class ExactHeadersSigV4(SigV4Auth):
        """botocore's SigV4, restricted to the headers the client signed.

        botocore normally drops some headers (user-agent, expect) from
        signing; a server must use exactly the client's SignedHeaders.
        """

        def headers_to_sign(self, request):
            headers = HTTPHeaders()
            for name, value in request.headers.items():
                headers[name.lower()] = value
            return headers

    return ExactHeadersSigV4


def sigv4_signature(method, path, query, headers, signed_names, body,
                    secret, amz_date, region, service):
    """The SigV4 signature (hex) botocore computes for this request.

    HEADERS maps lower-case names to lists of values; only SIGNED_NAMES are
    used. QUERY is the raw query string; it is decoded and re-encoded the
    canonical way, as AWS does on the server side.
    """
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    host = (headers.get('host') or ['localhost'])[0]
    request = AWSRequest(method=method, url=f'https://{host}{path}',
                         data=body,
                         params=parse_qsl(query, keep_blank_values=True))
    for name in signed_names:
        for value in headers.get(name, []):
            request.headers[name] = value
    request.context['timestamp'] = amz_date
    signer = _botocore_signer_class()(
        Credentials('unused', secret), service, region)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical),
                            request)


def parse_authorization(value):
    """Split an AWS4-HMAC-SHA256 Authorization header into its fields."""
    if not value:
        raise ApiError(403, 'MissingAuthenticationToken', MSG_MISSING_AUTH)
    algorithm, _, rest = value.strip().partition(' ')
    if algorithm != 'AWS4-HMAC-SHA256':
        raise ApiError(400, 'IncompleteSignature',
                       f"Unsupported AWS 'algorithm': '{algorithm}'")
    fields = {}
    for part in rest.split(','):
        name, sep, field = part.strip().partition('=')
        if sep:
            fields[name] = field
    missing = [n for n in ('Credential', 'SignedHeaders', 'Signature')
               if n not in fields]
    if missing:
        raise ApiError(400, 'IncompleteSignature', ' '.join(
            f"Authorization header requires '{n}' parameter." for n in
            missing))
    return fields


def parse_scope(credential):
    """Check a Credential=AKID/DATE/REGION/SERVICE/aws4_request field."""
    parts = credential.split('/')
    if len(parts) != 5:
        raise ApiError(400, 'IncompleteSignature',
                       'Credential must have exactly 5 slash-delimited '
                       'elements, e.g. keyid/date/region/service/term, got '
                       f"'{credential}'")
    akid, date, region, service, terminator = parts
    if terminator != 'aws4_request':
        raise ApiError(403, 'SignatureDoesNotMatch',
                       'Credential should be scoped with a valid terminator: '
                       f"'aws4_request', not '{terminator}'.")
    if service not in API_VERSIONS:
        raise ApiError(403, 'SignatureDoesNotMatch',
                       "Credential should be scoped to correct service: "
                       "'sts'. ")
    if not REGION_RE.match(region) or (
            service == 'iam' and region not in IAM_REGIONS):
        raise ApiError(403, 'SignatureDoesNotMatch',
                       'Credential should be scoped to a valid region. ')
    return akid, date, region, service


def _amz(epoch):
    return time.strftime(AMZ_DATE_FORMAT, time.gmtime(epoch))


def check_request_time(amz_date, scope_date, now):
    """Apply AWS's 15-minute rule to the X-Amz-Date of a request."""
    try:
        stamp = datetime.datetime.strptime(amz_date, AMZ_DATE_FORMAT)
    except ValueError:
        raise ApiError(400, 'IncompleteSignature',
                       "Date must be in ISO-8601 'basic format'. Got "
                       f"'{amz_date}'.") from None
    if amz_date[:8] != scope_date:
        raise ApiError(403, 'SignatureDoesNotMatch',
                       'Date in Credential scope does not match YYYYMMDD '
                       'from ISO-8601 version of date from HTTP: '
                       f"'{scope_date}' != '{amz_date[:8]}', from "
                       f"'{amz_date}'.")
    epoch = stamp.replace(tzinfo=datetime.timezone.utc).timestamp()
    if epoch < now - MAX_CLOCK_SKEW:
        raise ApiError(403, 'SignatureDoesNotMatch',
                       f'Signature expired: {amz_date} is now earlier than '
                       f'{_amz(now - MAX_CLOCK_SKEW)} ({_amz(now)} - 15 '
                       'min.)')
    if epoch > now + MAX_CLOCK_SKEW:
        raise ApiError(403, 'SignatureDoesNotMatch',
                       f'Signature not yet current: {amz_date} is still '
                       f'later than {_amz(now + MAX_CLOCK_SKEW)} '
                       f'({_amz(now)} + 15 min.)')


def _invalid_token(service):
    # IAM's wording has no final period; STS's has one.
    message = MSG_INVALID_TOKEN if service == 'sts' else \
        MSG_INVALID_TOKEN.rstrip('.')
    return ApiError(403, 'InvalidClientTokenId', message)


def lookup_caller(state, akid, token, service):
    """The principal owning AKID; checks the session token and expiry."""
    with state.lock:
        user = state.users_by_key.get(akid)
        session = state.sessions.get(akid)
    if user is not None:
        if token is not None:
            raise _invalid_token(service)
        return Caller(state.account, user=user), user['secret_access_key']
    if session is None or token is None or not hmac.compare_digest(
            token.encode(), session.token.encode()):
        raise _invalid_token(service)
    if session.expiration <= state.now():
        raise ApiError(403, 'ExpiredToken', MSG_EXPIRED_TOKEN)
    return Caller(state.account, session=session), session.secret


def _single_header(headers, name):
    values = headers.get(name)
    return values[0] if values else None


def authenticate(state, req, ctx):
    """Verify the SigV4 signature of REQ; return the Caller."""
    fields = parse_authorization(_single_header(req.headers, 'authorization'))
    akid, scope_date, region, service = parse_scope(fields['Credential'])
    ctx.service, ctx.region = service, region
    signed = fields['SignedHeaders'].split(';')
    if 'host' not in signed:
        raise ApiError(400, 'IncompleteSignature',
                       "'Host' or ':authority' must be a 'SignedHeader' in "
                       'the AWS Authorization.')
    amz_date = _single_header(req.headers, 'x-amz-date')
    if amz_date is None or 'x-amz-date' not in signed:
        raise ApiError(400, 'IncompleteSignature',
                       "Authorization header requires existence of a signed "
                       "'X-Amz-Date' header.")
    token = _single_header(req.headers, 'x-amz-security-token')
    caller, secret = lookup_caller(state, akid, token, service)
    check_request_time(amz_date, scope_date, state.now())
    verify_signature(req, signed, fields['Signature'], secret, amz_date,
                     region, service)
    return caller


def verify_signature(req, signed, signature, secret, amz_date, region,
                     service):
    if any(name not in req.headers for name in signed):
        raise ApiError(403, 'SignatureDoesNotMatch', MSG_SIGNATURE)
    declared = _single_header(req.headers, 'x-amz-content-sha256')
    # botocore trusts a signed payload hash header; the server must not.
    if declared is not None and declared != hashlib.sha256(
            req.body).hexdigest():
        raise ApiError(403, 'SignatureDoesNotMatch', MSG_SIGNATURE)
    expected = sigv4_signature(req.method, req.path, req.query, req.headers,
                               signed, req.body, secret, amz_date, region,
                               service)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise ApiError(403, 'SignatureDoesNotMatch', MSG_SIGNATURE)


# --------------------------------------------------------------------------
# Parameter validation

class Params:
    """The Query parameters of one request with AWS-style validation."""

    def __init__(self, values):
        self.values = values
        self.problems = []

    def _fail(self, value, member, constraint):
        shown = 'null' if value is None else f"'{value}'"
        self.problems.append(f"Value {shown} at '{member}' failed to "
                             f'satisfy constraint: Member must {constraint}')

    def integer(self, name, member, low, high):
        raw = self.values.get(name)
        if raw is None:
            return None
        if not re.fullmatch(r'-?\d{1,12}', raw):
            self._fail(raw, member, 'be a number')
            return None
        value = int(raw)
        if value < low:
            self._fail(raw, member,
                       f'have value greater than or equal to {low}')
        elif value > high:
            self._fail(raw, member,
                       f'have value less than or equal to {high}')
        return value

    def text(self, name, member, low, high, pattern, required=False):
        value = self.values.get(name)
        if value is None:
            if required:
                self._fail(None, member, 'not be null')
            return None
        if len(value) < low:
            self._fail(value, member,
                       f'have length greater than or equal to {low}')
        elif len(value) > high:
            self._fail(value, member,
                       f'have length less than or equal to {high}')
        elif not re.fullmatch(pattern, value):
            self._fail(value, member,
                       f'satisfy regular expression pattern: {pattern}')
        return value

    def check(self):
        if self.problems:
            raise validation_error(self.problems)


# --------------------------------------------------------------------------
# Actions

def _random_text(alphabet, length):
    return ''.join(secrets.choice(alphabet) for _ in range(length))


def _session_token():
    while True:
        token = 'IQoJb3JpZ2luX2Vj' + base64.b64encode(
            secrets.token_bytes(300)).decode()
        # Clients must cope with '+' and '/' in tokens; always include them.
        if '+' in token and '/' in token:
            return token


def issue_session(state, user, duration, mfa, role=None, session_name=None):
    """Create, remember and return (access key id, Session)."""
    akid = 'ASIA' + _random_text(string.ascii_uppercase + string.digits, 16)
    secret = base64.b64encode(secrets.token_bytes(30)).decode()
    session = Session(user, secret, _session_token(),
                      state.now() + duration, mfa, role, session_name)
    with state.lock:
        state.sessions[akid] = session
    return akid, session


def format_expiration(state, epoch):
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    if state.expiration_format == 'seconds':
        return stamp.strftime('%Y-%m-%dT%H:%M:%SZ')
    return stamp.strftime('%Y-%m-%dT%H:%M:%S.') + \
        '%03dZ' % (stamp.microsecond // 1000)


def credentials_xml(state, akid, session):
    fields = {'AccessKeyId': akid, 'SecretAccessKey': session.secret,
              'SessionToken': session.token,
              'Expiration': format_expiration(state, session.expiration)}
    order = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']
    if state.xml_style == 'example':
        # The order of AWS's documented example, unlike live responses.
        order = ['SessionToken', 'SecretAccessKey', 'Expiration',
                 'AccessKeyId']
    return ('Credentials', [(name, fields[name]) for name in order])


def check_mfa(state, user, serial, code):
    """Validate SERIAL/CODE for USER; a code is accepted at most once."""
    if serial is None:
        raise ApiError(403, 'AccessDenied', MSG_BAD_SERIAL)
    device = next((d for d in user.get('mfa_devices', [])
                   if d['serial'] == serial), None) if user else None
    if device is None:
        raise ApiError(403, 'AccessDenied', MSG_BAD_SERIAL)
    if code is None:
        raise ApiError(403, 'AccessDenied', MSG_BAD_CODE)
    current = int(state.now() // TOTP_STEP)
    with state.lock:
        for step in (current, current - 1, current + 1):
            used = (serial, step) in state.used_codes
            if not used and hmac.compare_digest(
                    totp_code(device['seed'], step), code):
                state.used_codes.add((serial, step))
                return
    raise ApiError(403, 'AccessDenied', MSG_BAD_CODE)


def mfa_params(params):
    serial = params.text('SerialNumber', 'serialNumber', 9, 256,
                         r'[\w+=/:,.@-]*')
    code = params.text('TokenCode', 'tokenCode', 6, 6, r'[\d]*')
    return serial, code


def get_session_token(state, caller, params):
    duration = params.integer('DurationSeconds', 'durationSeconds', 900,
                              129600)
    serial, code = mfa_params(params)
    params.check()
    if caller.session is not None:
        raise ApiError(403, 'AccessDenied', MSG_SESSION_GST)
    duration = 43200 if duration is None else duration
    if caller.user.get('root'):
        duration = min(duration, 3600)
    mfa = serial is not None or code is not None
    if mfa:
        check_mfa(state, caller.user, serial, code)
    akid, session = issue_session(state, caller.user, duration, mfa)
    return [credentials_xml(state, akid, session)]


def get_caller_identity(state, caller, params):
    return [('Arn', caller.arn), ('UserId', caller.user_id),
            ('Account', state.account)]


def _not_authorized(caller, action, resource):
    return ApiError(403, 'AccessDenied',
                    f'User: {caller.arn} is not authorized to perform: '
                    f'{action} on resource: {resource}')


def _role_allows(state, caller, role, serial, code):
    allowed = role.get('allowed_users')
    if allowed is not None and caller.user['name'] not in allowed:
        raise _not_authorized(caller, 'sts:AssumeRole', role['arn'])
    if serial is not None or code is not None:
        # A role session has no MFA devices of its own.
        check_mfa(state, None if caller.role else caller.user, serial, code)
        return True
    if role.get('mfa_required') and not caller.mfa:
        raise _not_authorized(caller, 'sts:AssumeRole', role['arn'])
    return caller.mfa


def assume_role(state, caller, params):
    role_arn = params.text('RoleArn', 'roleArn', 20, 2048, r'[^\x00-\x08]+',
                           required=True)
    session_name = params.text('RoleSessionName', 'roleSessionName', 2, 64,
                               r'[\w+=,.@-]*', required=True)
    duration = params.integer('DurationSeconds', 'durationSeconds', 900,
                              43200)
    serial, code = mfa_params(params)
    params.check()
    if caller.user.get('root') and caller.session is None:
        raise ApiError(403, 'AccessDenied',
                       'Roles may not be assumed by root accounts.')
    role = state.roles.get(role_arn)
    if role is None:
        raise _not_authorized(caller, 'sts:AssumeRole', role_arn)
    duration = 3600 if duration is None else duration
    if caller.role is not None and duration > 3600:
        raise ApiError(400, 'ValidationError', MSG_ROLE_CHAINING)
    if duration > role.get('max_session_duration', 3600):
        raise ApiError(400, 'ValidationError', MSG_ROLE_MAX)
    mfa = _role_allows(state, caller, role, serial, code)
    akid, session = issue_session(state, caller.user, duration, mfa, role,
                                  session_name)
    assumed = Caller(state.account, session=session)
    return [credentials_xml(state, akid, session),
            ('AssumedRoleUser', [('AssumedRoleId', assumed.user_id),
                                 ('Arn', assumed.arn)])]


def _mfa_target(state, caller, name):
    """The user whose devices CALLER may list, or an ApiError."""
    if name is None:
        if caller.role is not None:
            raise ApiError(400, 'ValidationError',
                           'Must specify userName when calling with '
                           'non-User credentials')
        name = caller.user['name']
    if caller.role is None:
        policy = caller.user.get('list_mfa_devices', 'allow')
        if policy == 'deny' or (policy == 'allow'
                                and name != caller.user['name']):
            raise _not_authorized(caller, 'iam:ListMFADevices',
                                  f'user {name}')
    target = state.users_by_name.get(name)
    if target is None:
        raise ApiError(404, 'NoSuchEntity',
                       f'The user with name {name} cannot be found.')
    return target


def list_mfa_devices(state, caller, params):
    name = params.text('UserName', 'userName', 1, 128, r'[\w+=,.@-]+')
    marker = params.text('Marker', 'marker', 1, 320, r'\d+')
    max_items = params.integer('MaxItems', 'maxItems', 1, 1000)
    params.check()
    target = _mfa_target(state, caller, name)
    devices = target.get('mfa_devices', [])
    start = int(marker) if marker else 0
    end = start + (max_items or 100)
    members = [('member', [('UserName', target['name']),
                           ('SerialNumber', d['serial']),
                           ('EnableDate', d.get('enable_date',
                                                '2024-01-15T09:30:00Z'))])
               for d in devices[start:end]]
    result = [('MFADevices', members),
              ('IsTruncated', 'true' if end < len(devices) else 'false')]
    if end < len(devices):
        result.append(('Marker', str(end)))
    return result


ACTIONS = {
    ('sts', 'GetSessionToken'): get_session_token,
    ('sts', 'GetCallerIdentity'): get_caller_identity,
    ('sts', 'AssumeRole'): assume_role,
    ('iam', 'ListMFADevices'): list_mfa_devices,
}


def dispatch(state, service, caller, params):
    """Run the Action of an authenticated request; return result XML."""
    action = params.values.get('Action')
    version = params.values.get('Version', 'NO_VERSION_SPECIFIED')
    if not action:
        raise ApiError(400, 'MissingAction', 'Missing Action')
    handler = ACTIONS.get((service, action))
    if handler is None or version != API_VERSIONS[service]:
        raise ApiError(400, 'InvalidAction',
                       f'Could not find operation {action} for version '
                       f'{version}')
    if service == 'iam' and caller.session is not None and \
            caller.role is None and not caller.session.mfa:
        # A GetSessionToken session without MFA cannot call IAM at all.
        raise _invalid_token(service)
    return handler(state, caller, params)


# --------------------------------------------------------------------------
# One API request, independent of HTTP plumbing

class ApiRequest:
    """A received request: method, path, raw query, headers, body bytes."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def parameters(self):
        pairs = parse_qsl(self.query, keep_blank_values=True)
        ctype = (_single_header(self.headers, 'content-type') or '')
        if self.method == 'POST' and ctype.split(';')[0].strip().lower() \
                == 'application/x-www-form-urlencoded':
            try:
                text = self.body.decode('utf-8')
            except UnicodeDecodeError:
                raise ApiError(400, 'MalformedQueryString',
                               'The request body is not valid UTF-8.') \
                    from None
            pairs += parse_qsl(text, keep_blank_values=True)
        return dict(pairs)


class RequestContext:
    """What the log may say about a request (no secrets, no codes)."""

    def __init__(self):
        self.service = None
        self.region = None
        self.access_key_id = None
        self.action = None
        self.params = {}

    def peek(self, req):
        """Fill in unverified fields so that even failures are logged."""
        auth = _single_header(req.headers, 'authorization') or ''
        match = re.search(r'Credential=([^/,\s]+)/[^/]*/([^/]*)/([^/,]*)',
                          auth)
        if match:
            self.access_key_id, self.region, service = match.groups()
            self.service = service if service in API_VERSIONS else None
        try:
            values = req.parameters()
        except ApiError:
            values = {}
        self.action = values.get('Action')
        self.params = {k: values[k] for k in LOGGED_PARAMS if k in values}


class Response:
    """An HTTP response to an API request."""

    def __init__(self, status, body, request_id, error_code=None):
        self.status = status
        self.body = body
        self.request_id = request_id
        self.error_code = error_code


def error_response(error, service, request_id):
    namespace = NAMESPACES.get(service or 'sts', STS_NS)
    return Response(error.status, error_body(error, namespace, request_id),
                    request_id, error.code)


def handle_api(state, req, ctx):
    """Authenticate and execute REQ; always returns a Response."""
    request_id = str(uuid.uuid4())
    try:
        if req.path != '/':
            raise ApiError(404, 'UnknownOperationException',
                           'The requested path does not exist: use POST /.')
        caller = authenticate(state, req, ctx)
        params = Params(req.parameters())
        result = dispatch(state, ctx.service, caller, params)
    except ApiError as error:
        return error_response(error, ctx.service, request_id)
    body = success_body(ctx.action, NAMESPACES[ctx.service], result,
                        request_id, state.xml_style)
    return Response(200, body, request_id)


# --------------------------------------------------------------------------
# Control API

def parse_faults(items):
    faults = []
    for item in items:
        kind = str(item.get('kind'))
        if kind not in FAULT_KINDS:
            raise ValueError(f'unknown fault kind {kind!r}; use one of '
                             + ', '.join(FAULT_KINDS))
        count = item.get('count', 1)
        if not isinstance(count, int) or count < 1:
            raise ValueError('fault count must be a positive integer')
        faults.append({'kind': kind, 'remaining': count,
                       'seconds': float(item.get('seconds', 5)),
                       'size': int(item.get('size', HUGE_DEFAULT_SIZE))})
    return faults


CONTROL_KEYS = ('reset', 'forget_used_codes', 'faults', 'clock_offset',
                'expire_sessions', 'xml_style', 'expiration_format')


def apply_control(state, command):
    """Apply one POST /_control JSON object; raise ValueError if bad."""
    unknown = set(command) - set(CONTROL_KEYS)
    if unknown:
        raise ValueError('unknown control keys: ' + ', '.join(sorted(unknown))
                         + '; known: ' + ', '.join(CONTROL_KEYS))
    faults = parse_faults(command.get('faults', []))
    with state.lock:
        if command.get('reset'):
            state.reset()
        if command.get('forget_used_codes'):
            state.used_codes.clear()
        state.faults.extend(faults)
        if 'clock_offset' in command:
            state.clock_offset = float(command['clock_offset'])
        if command.get('expire_sessions'):
            for session in state.sessions.values():
                session.expiration = min(session.expiration, state.now() - 1)
        if command.get('xml_style') in ('aws', 'example'):
            state.xml_style = command['xml_style']
        if command.get('expiration_format') in ('milliseconds', 'seconds'):
            state.expiration_format = command['expiration_format']
        return {'clock_offset': state.clock_offset,
                'pending_faults': [dict(f) for f in state.faults],
                'sessions': len(state.sessions),
                'xml_style': state.xml_style,
                'expiration_format': state.expiration_format}


def control_totp(state, query):
    values = dict(parse_qsl(query))
    serial = values.get('serial')
    for user in state.config.get('users', []):
        for device in user.get('mfa_devices', []):
            if device['serial'] == serial:
                return totp(device['seed'], state.now(),
                            int(values.get('offset', 0)))
    raise KeyError(f'no MFA device with serial {serial!r}')


# --------------------------------------------------------------------------
# HTTP plumbing

def log(message):
    print(f'sts-server: {message}', file=sys.stderr, flush=True)


class Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 handler for API and control requests."""

    protocol_version = 'HTTP/1.1'
    server_version = 'botomfa-test-sts'
    timeout = IDLE_TIMEOUT

    def setup(self):
        self.request.settimeout(self.timeout)
        # The TLS handshake runs here, in the connection's own thread, so a
        # client that never completes it cannot stall the accept loop.
        self.request.do_handshake()
        super().setup()

    @property
    def state(self):
        return self.server.state

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(self.state.now(), usegmt=True)

    def log_request(self, code='-', size='-'):
        pass

    def log_message(self, format, *args):
        log('http: ' + format % args)

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def _method_not_allowed(self):
        self.close_connection = True
        self.send_plain(405, 'text/plain', b'method not allowed\n')

    do_PUT = do_DELETE = do_PATCH = do_HEAD = _method_not_allowed

    def route(self):
        url = urlsplit(self.path)
        if url.path == '/_control' or url.path.startswith('/_control/'):
            self.control(url)
            return
        ctx = RequestContext()
        try:
            body = self.read_body()
        except ApiError as error:
            self.close_connection = True
            self.finish_api(error_response(error, None, str(uuid.uuid4())),
                            ctx, None)
            return
        req = ApiRequest(self.command, url.path, url.query,
                         self.header_lists(), body)
        ctx.peek(req)
        fault = self.state.take_fault()
        if fault is not None:
            self.apply_fault(fault, req, ctx)
        else:
            self.finish_api(handle_api(self.state, req, ctx), ctx, None)

    def header_lists(self):
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        return headers

    def read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or ''):
            raise ApiError(411, 'MissingContentLength',
                           'You must provide the Content-Length HTTP '
                           'header.')
        length = self.headers.get('Content-Length')
        if length is None:
            if self.command == 'POST':
                raise ApiError(411, 'MissingContentLength',
                               'You must provide the Content-Length HTTP '
                               'header.')
            return b''
        if not length.isdigit() or int(length) > MAX_BODY:
            raise ApiError(413, 'RequestEntityTooLarge',
                           f'Request bodies are limited to {MAX_BODY} '
                           'bytes.')
        return self.rfile.read(int(length))

    def send_head(self, status, content_type, length, request_id=None):
        self.send_response(status)
        if request_id is not None:
            self.send_header('x-amzn-RequestId', request_id)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(length))
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()

    def send_plain(self, status, content_type, body):
        self.send_head(status, content_type, len(body))
        self.wfile.write(body)

    def finish_api(self, response, ctx, fault, cut=None):
        """Send RESPONSE (or its first CUT bytes) and log it."""
        self.record(ctx, response.status, response.error_code, fault)
        self.send_head(response.status, 'text/xml', len(response.body),
                       response.request_id)
        self.wfile.write(response.body[:cut])

    def record(self, ctx, status, error_code, fault):
        entry = {'service': ctx.service, 'action': ctx.action,
                 'access_key_id': ctx.access_key_id, 'region': ctx.region,
                 'status': status, 'error_code': error_code,
                 'fault': fault, 'params': ctx.params}
        self.state.record(entry)
        log(f"{ctx.service or '-'} {ctx.action or '-'} "
            f"{ctx.access_key_id or '-'} {status or 'dropped'} "
            f"{error_code or 'OK'}" + (f' fault={fault}' if fault else ''))

    # ---- faults

    def apply_fault(self, fault, req, ctx):
        kind = fault['kind']
        request_id = str(uuid.uuid4())
        if kind in FAULT_ERRORS:
            status, code, message, error_type = FAULT_ERRORS[kind]
            error = ApiError(status, code, message, error_type)
            self.finish_api(error_response(error, ctx.service, request_id),
                            ctx, kind)
        elif kind == 'region_disabled':
            error = ApiError(403, 'RegionDisabledException',
                             'STS is not activated in this region for '
                             f'account:{self.state.account}. Your account '
                             'administrator can activate STS in this region '
                             'using the IAM Console.')
            self.finish_api(error_response(error, ctx.service, request_id),
                            ctx, kind)
        elif kind == 'slow':
            time.sleep(fault['seconds'])
            self.finish_api(handle_api(self.state, req, ctx), ctx, kind)
        elif kind == 'truncated':
            self.close_connection = True
            response = handle_api(self.state, req, ctx)
            self.finish_api(response, ctx, kind, len(response.body) // 2)
        else:
            getattr(self, 'fault_' + kind)(fault, ctx, request_id)

    def fault_drop(self, fault, ctx, request_id):
        self.record(ctx, None, None, 'drop')
        self.close_connection = True
        self.request.shutdown(socket.SHUT_RDWR)

    def fault_garbage(self, fault, ctx, request_id):
        self.record(ctx, 200, None, 'garbage')
        self.send_head(200, 'text/xml', len(GARBAGE), request_id)
        self.wfile.write(GARBAGE)

    def fault_huge(self, fault, ctx, request_id):
        self.record(ctx, 200, None, 'huge')
        self.close_connection = True
        size = fault['size']
        self.send_head(200, 'text/xml', size, request_id)
        head = (f'<{ctx.action or "Unknown"}Response xmlns="'
                f'{NAMESPACES.get(ctx.service, STS_NS)}">\n').encode()
        filler = b' ' * 65535 + b'\n'
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent < size:
                chunk = filler[:size - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except (OSError, ssl.SSLError):
            pass

    # ---- control API

    def control(self, url):
        if self.client_address[0] not in ('127.0.0.1', '::1'):
            self.send_json(403, {'error': 'control API is loopback only'})
            return
        try:
            self.control_route(url)
        except (ValueError, KeyError, TypeError) as error:
            self.send_json(400, {'error': str(error)})

    def control_route(self, url):
        if self.command == 'POST' and url.path == '/_control':
            body = self.read_body_plain()
            command = json.loads(body or b'{}')
            if not isinstance(command, dict):
                raise ValueError('control body must be a JSON object')
            result = apply_control(self.state, command)
            log('control: ' + ', '.join(sorted(command)))
            self.send_json(200, result)
        elif self.command == 'GET' and url.path == '/_control/requests':
            with self.state.lock:
                entries = list(self.state.request_log)
            self.send_json(200, entries)
        elif self.command == 'GET' and url.path == '/_control/totp':
            code = control_totp(self.state, url.query)
            self.send_plain(200, 'text/plain', (code + '\n').encode())
        else:
            self.send_json(404, {'error': f'no control endpoint '
                                          f'{self.command} {url.path}'})

    def read_body_plain(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length > MAX_BODY:
            raise ValueError('control body too large')
        return self.rfile.read(length)

    def send_json(self, status, value):
        body = (json.dumps(value, indent=1) + '\n').encode()
        self.send_plain(status, 'application/json', body)


class TlsServer(ThreadingHTTPServer):
    """A threading HTTPS server on 127.0.0.1 with a State."""

    daemon_threads = True

    def __init__(self, state, cert_path, key_path):
        super().__init__(('127.0.0.1', 0), Handler)
        self.state = state
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert_path, key_path)
        self.socket = context.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

    def server_bind(self):
        # HTTPServer.server_bind would look up the host name (DNS).
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (OSError, ssl.SSLError)):
            log(f'connection from {client_address[0]}:{client_address[1]}: '
                f'{type(error).__name__}: {error}')
        else:
            super().handle_error(request, client_address)


# --------------------------------------------------------------------------
# TLS material

OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _openssl(state_dir, *args):
    result = subprocess.run(['openssl', *args], cwd=state_dir,
                            capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr}")


def make_tls_material(state_dir):
    """Create ca.pem, server.pem and server.key in STATE_DIR."""
    cnf = os.path.join(state_dir, 'openssl.cnf')
    with open(cnf, 'w', encoding='ascii') as f:
        f.write(OPENSSL_CNF)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
          '-nodes', '-config', cnf]
    _openssl(state_dir, 'req', '-x509', *ec, '-keyout', 'ca.key',
             '-out', 'ca.pem', '-days', '1', '-extensions', 'v3_ca',
             '-subj', '/CN=botomfa throwaway test CA')
    _openssl(state_dir, 'req', '-new', *ec, '-keyout', 'server.key',
             '-out', 'server.csr', '-subj', '/CN=localhost')
    _openssl(state_dir, 'x509', '-req', '-in', 'server.csr',
             '-CA', 'ca.pem', '-CAkey', 'ca.key',
             '-set_serial', '0x' + secrets.token_hex(8), '-days', '1',
             '-extfile', cnf, '-extensions', 'v3_server',
             '-out', 'server.pem')
    # Nobody may mint more certificates with this CA.
    for name in ('ca.key', 'server.csr'):
        os.unlink(os.path.join(state_dir, name))
    return (os.path.join(state_dir, 'ca.pem'),
            os.path.join(state_dir, 'server.pem'),
            os.path.join(state_dir, 'server.key'))


def write_atomically(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Loopback HTTPS STS/IAM test server for botomfa.')
    parser.add_argument('--state-dir', required=True,
                        help='directory for ca.pem, url, keys')
    parser.add_argument('--config', help='JSON users/roles configuration')
    args = parser.parse_args(argv)
    os.umask(0o077)
    try:
        state = State(load_config(args.config))
    except (OSError, ValueError) as error:
        log(f'cannot use configuration {args.config}: {error}')
        return 2
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)
    _, cert, key = make_tls_material(state_dir)
    server = TlsServer(state, cert, key)
    return serve(server, state_dir)


def serve(server, state_dir):
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever,
                              kwargs={'poll_interval': 0.2}, daemon=True)
    thread.start()
    url = f'https://127.0.0.1:{server.server_address[1]}'
    url_path = os.path.join(state_dir, 'url')
    write_atomically(url_path, url + '\n')
    print(f'READY {url}', flush=True)
    log(f'listening on {url}')
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    os.unlink(url_path)
    log('stopped')
    return 0


# --------------------------------------------------------------------------
# Module API for Python tests

class StsServer:
    """Runs this file as a subprocess for the length of a with-block.

    Attributes once started: url, ca_path, config, state_dir, log_path.
    """

    def __init__(self, state_dir, config=None, ready_timeout=10.0):
        self.state_dir = os.path.abspath(state_dir)
        self.ready_timeout = ready_timeout
        self._config_path = None
        if config is None:
            self.config = copy.deepcopy(DEFAULT_CONFIG)
        elif isinstance(config, (str, os.PathLike)):
            self._config_path = os.fspath(config)
            self.config = load_config(self._config_path)
        else:
            validate_config(config)
            self.config = copy.deepcopy(config)
        self.log_path = os.path.join(self.state_dir, 'server.log')
        self.url = None
        self.ca_path = os.path.join(self.state_dir, 'ca.pem')
        self.clock_offset = 0.0
        self._proc = None
        self._context = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        """Start the server and wait for READY; raise RuntimeError."""
        os.makedirs(self.state_dir, exist_ok=True)
        if self._config_path is None and self.config != DEFAULT_CONFIG:
            self._config_path = os.path.join(self.state_dir, 'config.json')
            write_atomically(self._config_path, json.dumps(self.config))
        command = [PYTHON if os.path.exists(PYTHON) else sys.executable,
                   os.path.abspath(__file__), '--state-dir', self.state_dir]
        if self._config_path:
            command += ['--config', self._config_path]
        with open(self.log_path, 'ab') as log_file:
            self._proc = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=log_file)
        try:
            self.url = self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self._context = ssl.create_default_context(cafile=self.ca_path)

    def _wait_ready(self):
        deadline = time.monotonic() + self.ready_timeout
        output = b''
        fd = self._proc.stdout.fileno()
        while b'\n' not in output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(self._failure('did not print READY within '
                                                 f'{self.ready_timeout} s'))
            if select.select([fd], [], [], remaining)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self._proc.wait()
                    raise RuntimeError(self._failure(
                        f'exited with status {self._proc.returncode}'))
                output += chunk
        line = output.split(b'\n', 1)[0].decode()
        if not line.startswith('READY https://'):
            raise RuntimeError(self._failure(f'printed {line!r}'))
        return line.split(' ', 1)[1]

    def _failure(self, what):
        try:
            with open(self.log_path, encoding='utf-8',
                      errors='replace') as f:
                tail = ''.join(f.readlines()[-15:])
        except OSError:
            tail = ''
        return f'sts_server.py {what}; its log {self.log_path} ends:\n{tail}'

    def stop(self):
        """Stop the server (SIGTERM, then SIGKILL after 5 s); return status."""
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        return proc.returncode

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def _device(self, serial):
        for user in self.config.get('users', []):
            for device in user.get('mfa_devices', []):
                if device['serial'] == serial:
                    return device
        raise KeyError(f'no MFA device {serial!r} in the configuration')

    def totp(self, serial, offset_steps=0):
        """The code of device SERIAL now, on the server's (offset) clock."""
        return totp(self._device(serial)['seed'],
                    time.time() + self.clock_offset, offset_steps)

    def _call(self, method, path, body=None):
        parts = urlsplit(self.url)
        conn = http.client.HTTPSConnection(parts.hostname, parts.port,
                                           context=self._context, timeout=10)
        try:
            headers = {'Content-Type': 'application/json'} if body else {}
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        if response.status != 200:
            raise RuntimeError(f'{method} {path}: {response.status} '
                               f'{data.decode(errors="replace")}')
        return data

    def control(self, **fields):
        """POST /_control with FIELDS as JSON; return the server's state."""
        result = json.loads(self._call('POST', '/_control',
                                       json.dumps(fields).encode()))
        self.clock_offset = result['clock_offset']
        return result

    def requests(self):
        """The server's log of STS/IAM requests (GET /_control/requests)."""
        return json.loads(self._call('GET', '/_control/requests'))

    def server_totp(self, serial, offset_steps=0):
        """The code as the server computes it (GET /_control/totp)."""
        query = urlencode({'serial': serial, 'offset': offset_steps})
        return self._call('GET', '/_control/totp?' + query).decode().strip()


if __name__ == '__main__':
    sys.exit(main())
