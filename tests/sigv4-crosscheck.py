#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Cross-checks botomfa's SigV4 signer against botocore's.

Generates random STS-shaped requests (form POSTs of GetSessionToken,
AssumeRole and GetCallerIdentity, with and without a session token, across
regions and partitions) plus some general GET requests with odd paths and
queries, signs each with botocore's SigV4Auth and with botomfa's
tests/sigv4-tool, and compares the canonical request, the string to sign,
the signature and the Authorization header.

Usage: sigv4-crosscheck.py PATH-TO-SIGV4-TOOL [COUNT]
The random seed is fixed; set SIGV4_CROSSCHECK_SEED to try others.
"""

import datetime
import os
import random
import string
import subprocess
import sys
from urllib.parse import quote, urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGIONS = [
    ('us-east-1', 'sts.amazonaws.com'),
    ('us-east-1', 'sts.us-east-1.amazonaws.com'),
    ('eu-west-2', 'sts.eu-west-2.amazonaws.com'),
    ('ap-southeast-3', 'sts.ap-southeast-3.amazonaws.com'),
    ('cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'),
    ('us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'),
    ('us-east-1', 'iam.amazonaws.com'),
    ('eu-central-1', 'localhost:8443'),
]
FORM = 'application/x-www-form-urlencoded; charset=utf-8'
B64 = string.ascii_letters + string.digits + '+/'


def rand_str(rng, alphabet, low, high):
    return ''.join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def rand_time(rng):
    seconds = rng.randint(0, 40 * 365 * 86400)
    return datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=seconds)


def sts_body(rng):
    action = rng.choice(['GetSessionToken', 'AssumeRole', 'GetCallerIdentity',
                         'ListMFADevices'])
    account = rand_str(rng, string.digits, 12, 12)
    params = [('Action', action), ('Version', '2011-06-15')]
    if action in ('GetSessionToken', 'AssumeRole'):
        params.append(('DurationSeconds', str(rng.randint(900, 129600))))
        params.append(('SerialNumber', f'arn:aws:iam::{account}:mfa/'
                       + rand_str(rng, string.ascii_letters + '+=,.@-_', 1, 40)))
        params.append(('TokenCode', rand_str(rng, string.digits, 6, 6)))
    if action == 'AssumeRole':
        params.append(('RoleArn', f'arn:aws:iam::{account}:role/r'))
        params.append(('RoleSessionName',
                       rand_str(rng, string.ascii_letters + '+=,.@-_', 2, 64)))
    rng.shuffle(params)
    return urlencode(params).encode()


def odd_text(rng, low, high):
    alphabet = string.ascii_letters + string.digits + "-._~!$'()*,;:@/ +=%\u00e9\u1234\U0001f600"
    return rand_str(rng, alphabet, low, high)


def wire_escape(rng, text):
    """Percent-encodes text the way some client might put it on the wire:
    always the bytes that must be escaped, sometimes others, with either
    case of hex digits; the signer must canonicalise them all alike."""
    out = []
    for byte in text.encode():
        ch = chr(byte)
        must = not (ch.isascii() and (ch.isalnum() or ch in '-._~'))
        if must or rng.random() < 0.2:
            escaped = '%%%02X' % byte
            out.append(escaped.lower() if rng.random() < 0.3 else escaped)
        else:
            out.append(ch)
    return ''.join(out)


def general_request(rng):
    segments = [rng.choice(['.', '..', '', odd_text(rng, 1, 8).replace('/', '')
                            .replace('%', '')]) for _ in range(rng.randint(0, 5))]
    path = '/' + '/'.join(segments)
    pairs = [(odd_text(rng, 0, 6), odd_text(rng, 0, 6))
             for _ in range(rng.randint(0, 5))]
    pairs = [(k, v) for k, v in pairs if k or v]
    query = '&'.join(wire_escape(rng, k) + '=' + wire_escape(rng, v) for k, v in pairs)
    return path, pairs, query


def random_case(rng):
    region, host = rng.choice(REGIONS)
    token = rand_str(rng, B64, 100, 900) + '==' if rng.random() < 0.5 else None
    case = {
        'region': region,
        'host': host,
        'service': 'iam' if host.startswith('iam') else rng.choice(['sts', 'sts', 'service']),
        'access_key_id': ('ASIA' if token else 'AKIA')
        + rand_str(rng, string.ascii_uppercase + string.digits, 16, 16),
        'secret': rand_str(rng, B64, 40, 40),
        'token': token,
        'time': rand_time(rng),
        'method': 'POST', 'path': '/', 'pairs': [], 'query': '',
        'body': sts_body(rng),
        'content_type': FORM if rng.random() < 0.7 else FORM.replace(' ', '   '),
    }
    if rng.random() < 0.25:
        case['method'] = 'GET'
        case['body'] = b''
        case['path'], case['pairs'], case['query'] = general_request(rng)
    return case


def botocore_stages(case):
    url = 'https://' + case['host'] + quote(case['path'], safe='/')
    request = AWSRequest(method=case['method'], url=url, data=case['body'],
                         headers={'Content-Type': case['content_type']},
                         params=case['pairs'] or None)
    credentials = Credentials(case['access_key_id'], case['secret'], case['token'])
    auth = SigV4Auth(credentials, case['service'], case['region'])
    # The steps of SigV4Auth.add_auth, with the clock pinned to the case.
    request.context['timestamp'] = case['time'].strftime('%Y%m%dT%H%M%SZ')
    auth._modify_request_before_signing(request)
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    signature = auth.signature(string_to_sign, request)
    auth._inject_signature_to_request(request, signature)
    return {
        'canonical-request': canonical,
        'string-to-sign': string_to_sign,
        'signature': signature,
        'authorization': request.headers['Authorization'],
    }


def random_name_case(rng, name):
    return ''.join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)


def tool_input(rng, case):
    amz_date = case['time'].strftime('%Y%m%dT%H%M%SZ')
    headers = [('Host', case['host']), ('Content-Type', case['content_type']),
               ('X-Amz-Date', amz_date)]
    if case['token']:
        headers.append(('X-Amz-Security-Token', case['token']))
    rng.shuffle(headers)
    # The path as sent: percent-encoded once, as in botocore's URL.
    target = quote(case['path'], safe='/') + ('?' + case['query'] if case['query'] else '')
    lines = [
        'access-key-id ' + case['access_key_id'],
        'secret-access-key ' + case['secret'],
        'region ' + case['region'],
        'service ' + case['service'],
        'time ' + amz_date,
        '',
        f"{case['method']} {target} HTTP/1.1",
    ]
    lines += [random_name_case(rng, n) + ':' + rng.choice(['', ' ']) + v
              for n, v in headers]
    return ('\n'.join(lines) + '\n\n').encode() + case['body']


def parse_tool_output(data):
    stages = {}
    while data:
        header, _, rest = data.partition(b'\n')
        name, length = header.decode().split(' ')
        stages[name] = rest[:int(length)].decode()
        data = rest[int(length) + 1:]
    return stages


def main():
    tool = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(os.environ.get('SIGV4_CROSSCHECK_SEED', '20260101'))
    rng = random.Random(seed)
    failures = 0
    for i in range(count):
        case = random_case(rng)
        expected = botocore_stages(case)
        run = subprocess.run([tool], input=tool_input(rng, case),
                             capture_output=True, check=False)
        if run.returncode != 0:
            print(f'case {i}: sigv4-tool failed: {run.stderr.decode()}')
            failures += 1
            continue
        got = parse_tool_output(run.stdout)
        for stage, value in expected.items():
            if got.get(stage) != value:
                failures += 1
                print(f'case {i} ({case["method"]} {case["path"]!r} '
                      f'query={case["query"]!r}): {stage} differs\n'
                      f'  botocore: {value!r}\n  botomfa:  {got.get(stage)!r}')
                break
    print(f'{count - failures}/{count} requests signed alike (seed {seed})')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
