#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
"""Proves that tests/sts_server.py answers a real AWS client (botocore) the
way STS and IAM do, and that its signature check rejects tampering."""

import datetime
import hashlib
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sts_server as S  # noqa: E402

import botocore.session  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import (ClientError, ConnectionClosedError,  # noqa
                                 ReadTimeoutError)
from botocore.parsers import ResponseParserError  # noqa: E402

SERVER = None
TMP = None
BOTOCORE = None
OPEN_CLIENTS = []

ALICE = (S.ALICE_ACCESS_KEY_ID, S.ALICE_SECRET_ACCESS_KEY)
BOB = (S.BOB_ACCESS_KEY_ID, S.BOB_SECRET_ACCESS_KEY)
CAROL = (S.CAROL_ACCESS_KEY_ID, S.CAROL_SECRET_ACCESS_KEY)
FORM = 'application/x-www-form-urlencoded; charset=utf-8'


def setUpModule():
    global SERVER, TMP, BOTOCORE
    TMP = tempfile.TemporaryDirectory(prefix='test-sts-server-')
    # Keep the developer's ~/.aws out of botocore's decisions.
    os.environ['AWS_CONFIG_FILE'] = os.path.join(TMP.name, 'no-config')
    os.environ['AWS_SHARED_CREDENTIALS_FILE'] = os.path.join(TMP.name, 'no')
    for name in ('AWS_PROFILE', 'AWS_CA_BUNDLE', 'AWS_ENDPOINT_URL',
                 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_IAM'):
        os.environ.pop(name, None)
    BOTOCORE = botocore.session.get_session()
    SERVER = S.StsServer(os.path.join(TMP.name, 'state'))
    SERVER.start()


def tearDownModule():
    SERVER.stop()
    TMP.cleanup()


def client(service='sts', keys=ALICE, token=None, read_timeout=10):
    """A botocore client for SERVER: no retries, no client-side checks."""
    config = Config(retries={'total_max_attempts': 1},
                    parameter_validation=False, connect_timeout=5,
                    read_timeout=read_timeout)
    made = BOTOCORE.create_client(
        service, endpoint_url=SERVER.url, verify=SERVER.ca_path,
        region_name='us-east-1', aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1], aws_session_token=token,
        config=config)
    OPEN_CLIENTS.append(made)
    return made


def close_clients():
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()


def session_keys(response):
    creds = response['Credentials']
    return (creds['AccessKeyId'], creds['SecretAccessKey']), \
        creds['SessionToken']


def wrong_code(serial):
    """A code that no nearby time step of SERIAL produces."""
    nearby = {SERVER.totp(serial, step) for step in range(-3, 4)}
    return next(c for c in ('000000', '111111', '222222', '333333')
                if c not in nearby)


def signed_request(keys, body, token=None, region='us-east-1',
                   service='sts', amz_date=None):
    """A botocore-signed AWSRequest for POST / of SERVER (not sent)."""
    request = AWSRequest(method='POST', url=SERVER.url + '/', data=body,
                         headers={'Content-Type': FORM})
    signer = SigV4Auth(Credentials(keys[0], keys[1], token), service, region)
    if amz_date is None:
        signer.add_auth(request)
        return request
    # Signing "at" another time: mirror add_auth with a fixed timestamp.
    request.context['timestamp'] = amz_date
    request.headers['X-Amz-Date'] = amz_date
    if token:
        request.headers['X-Amz-Security-Token'] = token
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical),
                                 request)
    signer._inject_signature_to_request(request, signature)
    return request


def send_raw(method, path, headers, body=b''):
    """Send one request over TLS; return (status, headers, body)."""
    parts = urlsplit(SERVER.url)
    context = ssl.create_default_context(cafile=SERVER.ca_path)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port,
                                       context=context, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def send_signed(request):
    headers = {k: v for k, v in request.headers.items()}
    return send_raw('POST', '/', headers, request.body)


def error_code(body):
    match = re.search(rb'<Code>([^<]*)</Code>', body)
    return match.group(1).decode() if match else None


class ServerTestCase(unittest.TestCase):
    def setUp(self):
        SERVER.control(reset=True, forget_used_codes=True)
        self.addCleanup(close_clients)

    def assertAwsError(self, ctx, code, status=None, message=None):
        error = ctx.exception.response['Error']
        self.assertEqual(error['Code'], code)
        if status is not None:
            self.assertEqual(
                ctx.exception.response['ResponseMetadata']['HTTPStatusCode'],
                status)
        if message is not None:
            self.assertEqual(error['Message'], message)
        return error['Message']

    def mfa_session(self, keys=ALICE, serial=S.ALICE_MFA_SERIAL,
                    duration=900):
        return client(keys=keys).get_session_token(
            SerialNumber=serial, TokenCode=SERVER.totp(serial),
            DurationSeconds=duration)


class GetSessionTokenTest(ServerTestCase):
    def test_code_gives_working_session_and_cannot_be_reused(self):
        code = SERVER.totp(S.ALICE_MFA_SERIAL)
        sts = client()
        before = datetime.datetime.now(datetime.timezone.utc)
        response = sts.get_session_token(SerialNumber=S.ALICE_MFA_SERIAL,
                                         TokenCode=code, DurationSeconds=900)
        creds = response['Credentials']
        self.assertRegex(creds['AccessKeyId'], r'^ASIA[A-Z0-9]{16}$')
        self.assertEqual(len(creds['SecretAccessKey']), 40)
        self.assertGreaterEqual(len(creds['SessionToken']), 350)
        lifetime = (creds['Expiration'] - before).total_seconds()
        self.assertTrue(895 <= lifetime <= 905, lifetime)

        keys, token = session_keys(response)
        identity = client(keys=keys, token=token).get_caller_identity()
        self.assertEqual(identity['Arn'],
                         'arn:aws:iam::123456789012:user/alice')
        self.assertEqual(identity['Account'], '123456789012')
        self.assertRegex(identity['UserId'], r'^AIDA[A-Z0-9]{17}$')

        with self.assertRaises(ClientError) as ctx:
            sts.get_session_token(SerialNumber=S.ALICE_MFA_SERIAL,
                                  TokenCode=code)
        self.assertAwsError(ctx, 'AccessDenied', 403, S.MSG_BAD_CODE)

    def test_wrong_code_is_denied(self):
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(
                SerialNumber=S.ALICE_MFA_SERIAL,
                TokenCode=wrong_code(S.ALICE_MFA_SERIAL))
        self.assertAwsError(ctx, 'AccessDenied', 403,
                            'MultiFactorAuthentication failed with invalid '
                            'MFA one time pass code. ')

    def test_neighbouring_steps_are_accepted(self):
        for step in (-1, 1):
            client().get_session_token(
                SerialNumber=S.ALICE_MFA_SERIAL,
                TokenCode=SERVER.totp(S.ALICE_MFA_SERIAL, step))
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(
                SerialNumber=S.ALICE_MFA_SERIAL,
                TokenCode=SERVER.totp(S.ALICE_MFA_SERIAL, 3))
        self.assertAwsError(ctx, 'AccessDenied')

    def test_duration_out_of_range(self):
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(DurationSeconds=60)
        self.assertAwsError(
            ctx, 'ValidationError', 400,
            "1 validation error detected: Value '60' at 'durationSeconds' "
            'failed to satisfy constraint: Member must have value greater '
            'than or equal to 900')
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(DurationSeconds=129601)
        self.assertIn('less than or equal to 129600',
                      self.assertAwsError(ctx, 'ValidationError', 400))

    def test_malformed_code_and_duration_report_both(self):
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(DurationSeconds=60,
                                       SerialNumber=S.ALICE_MFA_SERIAL,
                                       TokenCode='12a456')
        message = self.assertAwsError(ctx, 'ValidationError', 400)
        self.assertTrue(message.startswith('2 validation errors detected: '))
        self.assertIn("Value '12a456' at 'tokenCode'", message)

    def test_serial_of_someone_else_is_denied(self):
        with self.assertRaises(ClientError) as ctx:
            client().get_session_token(
                SerialNumber=S.BOB_PHONE_SERIAL,
                TokenCode=SERVER.totp(S.BOB_PHONE_SERIAL))
        self.assertAwsError(ctx, 'AccessDenied', 403, S.MSG_BAD_SERIAL)

    def test_session_credentials_cannot_get_session_token(self):
        keys, token = session_keys(self.mfa_session())
        with self.assertRaises(ClientError) as ctx:
            client(keys=keys, token=token).get_session_token()
        self.assertAwsError(ctx, 'AccessDenied', 403,
                            'Cannot call GetSessionToken with session '
                            'credentials')

    def test_default_duration_is_12_hours(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        expiration = client(keys=CAROL).get_session_token()[
            'Credentials']['Expiration']
        lifetime = (expiration - before).total_seconds()
        self.assertTrue(43195 <= lifetime <= 43205, lifetime)

    def test_session_without_mfa_cannot_call_iam(self):
        keys, token = session_keys(client(keys=BOB).get_session_token())
        with self.assertRaises(ClientError) as ctx:
            client('iam', keys, token).list_mfa_devices()
        self.assertAwsError(ctx, 'InvalidClientTokenId', 403)
        keys, token = session_keys(self.mfa_session(BOB, S.BOB_PHONE_SERIAL))
        devices = client('iam', keys, token).list_mfa_devices()
        self.assertEqual(len(devices['MFADevices']), 2)

    def test_expiration_has_milliseconds_in_the_xml(self):
        body = ('Action=GetSessionToken&Version=2011-06-15&'
                'DurationSeconds=900').encode()
        status, headers, reply = send_signed(signed_request(CAROL, body))
        self.assertEqual(status, 200)
        self.assertRegex(reply.decode(),
                         r'<Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z'
                         r'</Expiration>')
        self.assertIn(f'xmlns="{S.STS_NS}"', reply.decode())
        self.assertEqual(headers['Content-Type'], 'text/xml')
        self.assertRegex(headers['x-amzn-RequestId'], r'^[0-9a-f-]{36}$')

    def test_documentation_example_style_still_parses(self):
        SERVER.control(xml_style='example', expiration_format='seconds')
        body = b'Action=GetSessionToken&Version=2011-06-15'
        status, _, reply = send_signed(signed_request(CAROL, body))
        self.assertEqual(status, 200)
        text = reply.decode()
        self.assertLess(text.index('<SessionToken>'),
                        text.index('<AccessKeyId>'))
        self.assertRegex(text, r'<AccessKeyId>\n\s+ASIA[A-Z0-9]{16}\n\s+<')
        self.assertRegex(text, r'\d\d:\d\dZ\n\s+</Expiration>')
        creds = client(keys=CAROL).get_session_token()['Credentials']
        self.assertEqual(creds['Expiration'].microsecond, 0)


class AuthenticationTest(ServerTestCase):
    def test_wrong_secret(self):
        keys = (S.ALICE_ACCESS_KEY_ID, 'x' * 40)
        with self.assertRaises(ClientError) as ctx:
            client(keys=keys).get_caller_identity()
        self.assertAwsError(ctx, 'SignatureDoesNotMatch', 403,
                            S.MSG_SIGNATURE)

    def test_unknown_access_key(self):
        keys = ('AKIAUNKNOWN000000000', S.ALICE_SECRET_ACCESS_KEY)
        with self.assertRaises(ClientError) as ctx:
            client(keys=keys).get_caller_identity()
        self.assertAwsError(ctx, 'InvalidClientTokenId', 403,
                            'The security token included in the request is '
                            'invalid.')

    def test_client_clock_20_minutes_behind(self):
        SERVER.control(clock_offset=20 * 60)
        with self.assertRaises(ClientError) as ctx:
            client().get_caller_identity()
        message = self.assertAwsError(ctx, 'SignatureDoesNotMatch', 403)
        match = re.fullmatch(r'Signature expired: (\w+) is now earlier than '
                             r'(\w+) \((\w+) - 15 min\.\)', message)
        self.assertIsNotNone(match, message)
        sent, limit, now = (datetime.datetime.strptime(
            t, '%Y%m%dT%H%M%SZ') for t in match.groups())
        self.assertEqual((now - limit).total_seconds(), 900)
        self.assertAlmostEqual((now - sent).total_seconds(), 1200, delta=5)

    def test_client_clock_20_minutes_ahead(self):
        SERVER.control(clock_offset=-20 * 60)
        with self.assertRaises(ClientError) as ctx:
            client().get_caller_identity()
        message = self.assertAwsError(ctx, 'SignatureDoesNotMatch', 403)
        self.assertRegex(message, r'^Signature not yet current: \w+ is still '
                                  r'later than \w+ \(\w+ \+ 15 min\.\)$')

    def test_small_skew_is_tolerated_and_date_header_follows_clock(self):
        SERVER.control(clock_offset=10 * 60)
        client().get_caller_identity()
        status, headers, _ = send_raw('POST', '/', {'Content-Type': FORM},
                                      b'Action=GetCallerIdentity')
        self.assertEqual(status, 403)
        server_date = datetime.datetime.strptime(
            headers['Date'], '%a, %d %b %Y %H:%M:%S GMT')
        skew = server_date - datetime.datetime.utcnow()
        self.assertAlmostEqual(skew.total_seconds(), 600, delta=5)

    def test_expired_session(self):
        keys, token = session_keys(self.mfa_session())
        session_sts = client(keys=keys, token=token)
        session_sts.get_caller_identity()
        SERVER.control(expire_sessions=True)
        with self.assertRaises(ClientError) as ctx:
            session_sts.get_caller_identity()
        self.assertAwsError(ctx, 'ExpiredToken', 403,
                            'The security token included in the request is '
                            'expired')

    def test_session_with_wrong_or_missing_token(self):
        keys, token = session_keys(self.mfa_session())
        for bad in (token[:-4] + 'AAAA', None):
            with self.assertRaises(ClientError) as ctx:
                client(keys=keys, token=bad).get_caller_identity()
            self.assertAwsError(ctx, 'InvalidClientTokenId', 403)

    def test_long_term_key_with_a_token_is_invalid(self):
        with self.assertRaises(ClientError) as ctx:
            client(token='IQoJb3JpZ2luX2VjEXAMPLE').get_caller_identity()
        self.assertAwsError(ctx, 'InvalidClientTokenId', 403)

    def test_unsigned_request(self):
        status, _, body = send_raw('POST', '/', {'Content-Type': FORM},
                                   b'Action=GetCallerIdentity&'
                                   b'Version=2011-06-15')
        self.assertEqual((status, error_code(body)),
                         (403, 'MissingAuthenticationToken'))
        self.assertIn(b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/'
                      b'2011-06-15/">', body)

    def test_wrong_version_and_unknown_action(self):
        for body in (b'Action=GetCallerIdentity&Version=2010-05-08',
                     b'Action=GetFederationToken&Version=2011-06-15'):
            status, _, reply = send_signed(signed_request(ALICE, body))
            self.assertEqual((status, error_code(reply)),
                             (400, 'InvalidAction'), body)


class SignatureCheckTest(ServerTestCase):
    """The server's SigV4 check must reject any change to a signed request."""

    BODY = b'Action=GetCallerIdentity&Version=2011-06-15'

    def test_untouched_request_is_accepted(self):
        status, _, body = send_signed(signed_request(ALICE, self.BODY))
        self.assertEqual(status, 200, body)

    def test_one_body_byte_changed(self):
        request = signed_request(ALICE, self.BODY)
        headers = dict(request.headers.items())
        tampered = self.BODY.replace(b'Version=2011', b'Version=2011&x=1')
        for body in (self.BODY[:-1] + b'6', tampered):
            status, _, reply = send_raw('POST', '/', headers, body)
            self.assertEqual((status, error_code(reply)),
                             (403, 'SignatureDoesNotMatch'), body)

    def test_date_changed_by_one_second(self):
        request = signed_request(ALICE, self.BODY)
        stamp = datetime.datetime.strptime(request.headers['X-Amz-Date'],
                                           '%Y%m%dT%H%M%SZ')
        request.headers.replace_header('X-Amz-Date', (
            stamp + datetime.timedelta(seconds=1)).strftime('%Y%m%dT%H%M%SZ'))
        status, _, reply = send_signed(request)
        self.assertEqual((status, error_code(reply)),
                         (403, 'SignatureDoesNotMatch'))

    def test_signed_header_changed(self):
        request = signed_request(ALICE, self.BODY)
        request.headers.replace_header('Content-Type',
                                       'application/x-www-form-urlencoded')
        status, _, reply = send_signed(request)
        self.assertEqual((status, error_code(reply)),
                         (403, 'SignatureDoesNotMatch'))

    def test_signature_or_scope_changed(self):
        request = signed_request(ALICE, self.BODY)
        auth = request.headers['Authorization']
        last = auth[-1]
        variants = [auth[:-1] + ('0' if last != '0' else '1'),
                    auth.replace('/us-east-1/', '/us-west-2/')]
        for variant in variants:
            request.headers.replace_header('Authorization', variant)
            status, _, reply = send_signed(request)
            self.assertEqual((status, error_code(reply)),
                             (403, 'SignatureDoesNotMatch'), variant)

    def test_unsigned_extra_header_is_ignored(self):
        request = signed_request(ALICE, self.BODY)
        request.headers['X-Extra'] = 'not signed'
        status, _, _ = send_signed(request)
        self.assertEqual(status, 200)

    def test_payload_hash_header_must_match_body(self):
        request = AWSRequest(method='POST', url=SERVER.url + '/',
                             data=self.BODY, headers={
                                 'Content-Type': FORM,
                                 'X-Amz-Content-SHA256': hashlib.sha256(
                                     self.BODY).hexdigest()})
        SigV4Auth(Credentials(*ALICE), 'sts', 'us-east-1').add_auth(request)
        headers = dict(request.headers.items())
        self.assertEqual(send_raw('POST', '/', headers, self.BODY)[0], 200)
        status, _, reply = send_raw('POST', '/', headers, self.BODY + b'&')
        self.assertEqual((status, error_code(reply)),
                         (403, 'SignatureDoesNotMatch'))

    def test_get_with_signed_query_string(self):
        request = AWSRequest(method='GET', url=SERVER.url + '/', params={
            'Version': '2011-06-15', 'Action': 'GetCallerIdentity'})
        SigV4Auth(Credentials(*BOB), 'sts', 'us-east-1').add_auth(request)
        prepared = request.prepare()
        path = prepared.url[len(SERVER.url):]
        status, _, reply = send_raw('GET', path, dict(prepared.headers))
        self.assertEqual(status, 200, reply)
        self.assertIn(b'user/bob', reply)

    def test_aws_signing_test_suite_vectors(self):
        # From the AWS SigV4 test suite (awslabs/aws-c-auth,
        # tests/aws-signing-test-suite/v4): get-vanilla-query-order-key-case,
        # post-x-www-form-urlencoded, post-x-www-form-urlencoded-parameters.
        secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
        body = b'Param1=value1'
        body_hash = hashlib.sha256(body).hexdigest()
        vectors = [
            ('GET', 'Param2=value2&Param1=value1', None, b'',
             ['host', 'x-amz-date'],
             'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
            ('POST', '', 'application/x-www-form-urlencoded', body,
             ['content-length', 'content-type', 'host',
              'x-amz-content-sha256', 'x-amz-date'],
             'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b'),
            ('POST', '', 'application/x-www-form-urlencoded; charset=utf-8',
             body, ['content-length', 'content-type', 'host',
                    'x-amz-content-sha256', 'x-amz-date'],
             '328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422'),
        ]
        for method, query, ctype, data, signed, expected in vectors:
            headers = {'host': ['example.amazonaws.com'],
                       'x-amz-date': ['20150830T123600Z'],
                       'content-length': [str(len(data))],
                       'x-amz-content-sha256': [body_hash]}
            if ctype:
                headers['content-type'] = [ctype]

            def sign(payload, date='20150830T123600Z'):
                return S.sigv4_signature(method, '/', query, headers, signed,
                                         payload, secret, date, 'us-east-1',
                                         'service')
            self.assertEqual(sign(data), expected, (method, ctype))
            self.assertNotEqual(sign(data, '20150830T123601Z'), expected)
        self.assertNotEqual(
            S.sigv4_signature('GET', '/', 'Param2=value2&Param1=value2',
                              {'host': ['example.amazonaws.com'],
                               'x-amz-date': ['20150830T123600Z']},
                              ['host', 'x-amz-date'], b'', secret,
                              '20150830T123600Z', 'us-east-1', 'service'),
            vectors[0][5])


class ListMfaDevicesTest(ServerTestCase):
    def test_bob_has_two_devices(self):
        devices = client('iam', BOB).list_mfa_devices()['MFADevices']
        self.assertEqual([d['SerialNumber'] for d in devices],
                         [S.BOB_PHONE_SERIAL, S.BOB_YUBIKEY_SERIAL])
        self.assertEqual({d['UserName'] for d in devices}, {'bob'})
        self.assertTrue(all(isinstance(d['EnableDate'], datetime.datetime)
                            for d in devices))

    def test_pagination(self):
        iam = client('iam', BOB)
        first = iam.list_mfa_devices(MaxItems=1)
        self.assertTrue(first['IsTruncated'])
        second = iam.list_mfa_devices(MaxItems=1, Marker=first['Marker'])
        self.assertFalse(second['IsTruncated'])
        self.assertEqual(second['MFADevices'][0]['SerialNumber'],
                         S.BOB_YUBIKEY_SERIAL)

    def test_carol_is_denied(self):
        with self.assertRaises(ClientError) as ctx:
            client('iam', CAROL).list_mfa_devices()
        self.assertAwsError(
            ctx, 'AccessDenied', 403,
            'User: arn:aws:iam::123456789012:user/carol is not authorized '
            'to perform: iam:ListMFADevices on resource: user carol')

    def test_other_users_devices_are_denied_and_unknown_user(self):
        with self.assertRaises(ClientError) as ctx:
            client('iam', ALICE).list_mfa_devices(UserName='bob')
        self.assertIn('on resource: user bob',
                      self.assertAwsError(ctx, 'AccessDenied', 403))
        role = client().assume_role(
            RoleArn=S.ADMIN_ROLE_ARN, RoleSessionName='admin',
            SerialNumber=S.ALICE_MFA_SERIAL,
            TokenCode=SERVER.totp(S.ALICE_MFA_SERIAL))
        iam = client('iam', *session_keys(role))
        self.assertEqual(len(iam.list_mfa_devices(UserName='bob')[
            'MFADevices']), 2)
        with self.assertRaises(ClientError) as ctx:
            iam.list_mfa_devices(UserName='nobody')
        self.assertAwsError(ctx, 'NoSuchEntity', 404,
                            'The user with name nobody cannot be found.')
        with self.assertRaises(ClientError) as ctx:
            iam.list_mfa_devices()
        self.assertAwsError(ctx, 'ValidationError', 400)

    def test_iam_error_uses_iam_namespace(self):
        body = b'Action=ListMFADevices&Version=2010-05-08'
        status, _, reply = send_signed(signed_request(CAROL, body,
                                                      service='iam'))
        self.assertEqual(status, 403)
        self.assertIn(f'<ErrorResponse xmlns="{S.IAM_NS}">'.encode(), reply)

    def test_iam_requires_us_east_1(self):
        body = b'Action=ListMFADevices&Version=2010-05-08'
        status, _, reply = send_signed(signed_request(
            BOB, body, region='eu-west-1', service='iam'))
        self.assertEqual((status, error_code(reply)),
                         (403, 'SignatureDoesNotMatch'))


class AssumeRoleTest(ServerTestCase):
    def test_assume_role_with_mfa(self):
        response = client().assume_role(
            RoleArn=S.ADMIN_ROLE_ARN, RoleSessionName='botomfa-test',
            SerialNumber=S.ALICE_MFA_SERIAL,
            TokenCode=SERVER.totp(S.ALICE_MFA_SERIAL), DurationSeconds=3600)
        arn = 'arn:aws:sts::123456789012:assumed-role/admin/botomfa-test'
        self.assertEqual(response['AssumedRoleUser']['Arn'], arn)
        self.assertRegex(response['AssumedRoleUser']['AssumedRoleId'],
                         r'^AROA[A-Z0-9]{17}:botomfa-test$')
        keys, token = session_keys(response)
        identity = client(keys=keys, token=token).get_caller_identity()
        self.assertEqual(identity['Arn'], arn)

    def test_mfa_required(self):
        with self.assertRaises(ClientError) as ctx:
            client().assume_role(RoleArn=S.ADMIN_ROLE_ARN,
                                 RoleSessionName='no-mfa')
        self.assertAwsError(
            ctx, 'AccessDenied', 403,
            'User: arn:aws:iam::123456789012:user/alice is not authorized '
            'to perform: sts:AssumeRole on resource: ' + S.ADMIN_ROLE_ARN)
        with self.assertRaises(ClientError) as ctx:
            client().assume_role(RoleArn=S.ADMIN_ROLE_ARN,
                                 RoleSessionName='bad-code',
                                 SerialNumber=S.ALICE_MFA_SERIAL,
                                 TokenCode=wrong_code(S.ALICE_MFA_SERIAL))
        self.assertAwsError(ctx, 'AccessDenied', 403, S.MSG_BAD_CODE)

    def test_mfa_session_can_assume_without_code(self):
        keys, token = session_keys(self.mfa_session())
        response = client(keys=keys, token=token).assume_role(
            RoleArn=S.ADMIN_ROLE_ARN, RoleSessionName='from-session')
        self.assertTrue(response['Credentials']['AccessKeyId']
                        .startswith('ASIA'))

    def test_validation(self):
        cases = [('x', 3600, 'roleSessionName'),
                 ('has space', 3600, 'roleSessionName'),
                 ('ok-name', 43201, 'durationSeconds'),
                 ('ok-name', 899, 'durationSeconds')]
        for name, duration, member in cases:
            with self.assertRaises(ClientError) as ctx:
                client().assume_role(RoleArn=S.ADMIN_ROLE_ARN,
                                     RoleSessionName=name,
                                     DurationSeconds=duration)
            self.assertIn(f"at '{member}'",
                          self.assertAwsError(ctx, 'ValidationError', 400))

    def test_role_chaining_is_limited_to_one_hour(self):
        first = client().assume_role(
            RoleArn=S.ADMIN_ROLE_ARN, RoleSessionName='first',
            SerialNumber=S.ALICE_MFA_SERIAL,
            TokenCode=SERVER.totp(S.ALICE_MFA_SERIAL))
        keys, token = session_keys(first)
        with self.assertRaises(ClientError) as ctx:
            client(keys=keys, token=token).assume_role(
                RoleArn=S.ADMIN_ROLE_ARN, RoleSessionName='second',
                DurationSeconds=7200)
        self.assertAwsError(ctx, 'ValidationError', 400, S.MSG_ROLE_CHAINING)


class FaultTest(ServerTestCase):
    def test_throttle_applies_to_exactly_count_requests(self):
        SERVER.control(faults=[{'kind': 'throttle', 'count': 2}])
        sts = client()
        for _ in range(2):
            with self.assertRaises(ClientError) as ctx:
                sts.get_caller_identity()
            self.assertAwsError(ctx, 'Throttling', 400, 'Rate exceeded')
        sts.get_caller_identity()
        log = SERVER.requests()
        self.assertEqual([(e['status'], e['fault']) for e in log],
                         [(400, 'throttle'), (400, 'throttle'), (200, None)])

    def test_server_errors(self):
        SERVER.control(faults=[{'kind': '500'}, {'kind': '503'}])
        for code, status in (('InternalFailure', 500),
                             ('ServiceUnavailable', 503)):
            with self.assertRaises(ClientError) as ctx:
                client().get_caller_identity()
            self.assertAwsError(ctx, code, status)

    def test_region_disabled(self):
        SERVER.control(faults=[{'kind': 'region_disabled'}])
        with self.assertRaises(ClientError) as ctx:
            client().get_caller_identity()
        self.assertIn('STS is not activated in this region',
                      self.assertAwsError(ctx, 'RegionDisabledException',
                                          403))

    def test_garbage_and_truncated(self):
        for kind in ('garbage', 'truncated'):
            SERVER.control(faults=[{'kind': kind}])
            with self.assertRaises(ResponseParserError, msg=kind):
                client().get_caller_identity()
        client().get_caller_identity()

    def test_drop(self):
        SERVER.control(faults=[{'kind': 'drop'}])
        with self.assertRaises(ConnectionClosedError):
            client().get_caller_identity()

    def test_slow(self):
        SERVER.control(faults=[{'kind': 'slow', 'seconds': 1.5}])
        started = time.monotonic()
        with self.assertRaises(ReadTimeoutError):
            client(read_timeout=0.5).get_caller_identity()
        self.assertLess(time.monotonic() - started, 1.4)
        SERVER.control(faults=[{'kind': 'slow', 'seconds': 0.5}])
        started = time.monotonic()
        client().get_caller_identity()
        self.assertGreaterEqual(time.monotonic() - started, 0.5)

    def test_huge(self):
        SERVER.control(faults=[{'kind': 'huge'}])
        request = signed_request(ALICE, SignatureCheckTest.BODY)
        parts = urlsplit(SERVER.url)
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=10,
            context=ssl.create_default_context(cafile=SERVER.ca_path))
        try:
            conn.request('POST', '/', body=request.body,
                         headers=dict(request.headers.items()))
            response = conn.getresponse()
            self.assertEqual(response.status, 200)
            self.assertGreaterEqual(int(response.getheader('Content-Length')),
                                    64 << 20)
            self.assertEqual(len(response.read(1 << 20)), 1 << 20)
        finally:
            conn.close()
        # The server survives the client hanging up mid-body.
        client().get_caller_identity()

    def test_bad_control_requests_are_refused(self):
        for fields in ({'faults': [{'kind': 'explode'}]},
                       {'clock_ofset': 5}):
            with self.assertRaises(RuntimeError) as ctx:
                SERVER.control(**fields)
            self.assertIn('400', str(ctx.exception))


class RequestLogTest(ServerTestCase):
    def test_log_and_stderr_hold_no_secrets(self):
        code = SERVER.totp(S.ALICE_MFA_SERIAL)
        response = client().get_session_token(
            SerialNumber=S.ALICE_MFA_SERIAL, TokenCode=code)
        keys, token = session_keys(response)
        client(keys=keys, token=token).get_caller_identity()
        client('iam', BOB).list_mfa_devices()
        log = SERVER.requests()
        self.assertEqual([(e['service'], e['action'], e['access_key_id'],
                           e['status'], e['error_code']) for e in log],
                         [('sts', 'GetSessionToken', S.ALICE_ACCESS_KEY_ID,
                           200, None),
                          ('sts', 'GetCallerIdentity', keys[0], 200, None),
                          ('iam', 'ListMFADevices', S.BOB_ACCESS_KEY_ID,
                           200, None)])
        text = json.dumps(log)
        with open(SERVER.log_path, encoding='utf-8') as f:
            stderr = f.read()
        for secret in (S.ALICE_SECRET_ACCESS_KEY, S.BOB_SECRET_ACCESS_KEY,
                       keys[1], token, 'TokenCode'):
            self.assertNotIn(secret, text)
            self.assertNotIn(secret, stderr)
        for entry in log:
            self.assertNotIn(code, entry['params'].values())

    def test_reset_clears_log_offset_and_faults(self):
        client().get_caller_identity()
        SERVER.control(faults=[{'kind': 'drop'}], clock_offset=30)
        state = SERVER.control(reset=True)
        self.assertEqual((state['clock_offset'], state['pending_faults']),
                         (0.0, []))
        self.assertEqual(SERVER.requests(), [])
        client().get_caller_identity()


class TotpTest(ServerTestCase):
    def test_rfc6238_vectors(self):
        seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'  # "12345678901234567890"
        for when, code in ((59, '287082'), (1111111109, '081804'),
                           (1234567890, '005924'), (2000000000, '279037')):
            self.assertEqual(S.totp(seed, when), code)

    def test_control_totp_matches_local_and_follows_clock_offset(self):
        # 10 minutes: 20 TOTP steps away, yet inside the signature window.
        for offset in (0, 600):
            SERVER.control(clock_offset=offset)
            for _ in range(3):
                local = SERVER.totp(S.BOB_YUBIKEY_SERIAL, 1)
                if SERVER.server_totp(S.BOB_YUBIKEY_SERIAL, 1) == local:
                    break
            else:
                self.fail('server and local TOTP disagree')
        real_time_code = S.totp(S.BOB_YUBIKEY_SEED)
        if real_time_code != SERVER.totp(S.BOB_YUBIKEY_SERIAL):
            with self.assertRaises(ClientError):
                client(keys=BOB).get_session_token(
                    SerialNumber=S.BOB_YUBIKEY_SERIAL,
                    TokenCode=real_time_code)
        client(keys=BOB).get_session_token(
            SerialNumber=S.BOB_YUBIKEY_SERIAL,
            TokenCode=SERVER.totp(S.BOB_YUBIKEY_SERIAL))


class CommandTest(unittest.TestCase):
    """The command itself: files, custom config, clean exit on SIGTERM."""

    def test_custom_config_files_and_sigterm(self):
        config = {'account': '210987654321', 'users': [
            {'name': 'dave', 'access_key_id': 'AKIATESTDAVE00000009',
             'secret_access_key': 'd' * 40, 'root': False,
             'mfa_devices': [{'serial': 'GAHT12345678',
                              'seed': 'GEZDGNBVGY3TQOJQ'}]},
            {'name': 'owner', 'access_key_id': 'AKIATESTROOT00000010',
             'secret_access_key': 'r' * 40, 'root': True}]}
        with tempfile.TemporaryDirectory() as tmp:
            state_dir = os.path.join(tmp, 'state')
            server = S.StsServer(state_dir, config=config)
            with server:
                with open(os.path.join(state_dir, 'url')) as f:
                    self.assertEqual(f.read().strip(), server.url)
                with open(server.ca_path) as f:
                    self.assertEqual(f.read().count('BEGIN CERTIFICATE'), 1)
                self.check_dave(server)
                proc = server._proc
                os.kill(proc.pid, signal.SIGTERM)
                self.assertEqual(proc.wait(5), 0)
            self.assertEqual(sorted(os.listdir(tmp)), ['state'])
            self.assertEqual(sorted(os.listdir(state_dir)),
                             ['ca.pem', 'config.json', 'openssl.cnf',
                              'server.key', 'server.log', 'server.pem'])

    def check_dave(self, server):
        sts = BOTOCORE.create_client(
            'sts', endpoint_url=server.url, verify=server.ca_path,
            region_name='eu-central-1',
            aws_access_key_id='AKIATESTDAVE00000009',
            aws_secret_access_key='d' * 40,
            config=Config(retries={'total_max_attempts': 1}))
        self.addCleanup(sts.close)
        self.assertEqual(sts.get_caller_identity()['Arn'],
                         'arn:aws:iam::210987654321:user/dave')
        sts.get_session_token(SerialNumber='GAHT12345678',
                              TokenCode=server.totp('GAHT12345678'))
        root = BOTOCORE.create_client(
            'sts', endpoint_url=server.url, verify=server.ca_path,
            region_name='us-east-1', aws_access_key_id='AKIATESTROOT00000010',
            aws_secret_access_key='r' * 40)
        self.addCleanup(root.close)
        self.assertEqual(root.get_caller_identity()['Arn'],
                         'arn:aws:iam::210987654321:root')
        before = datetime.datetime.now(datetime.timezone.utc)
        expiration = root.get_session_token(DurationSeconds=7200)[
            'Credentials']['Expiration']
        # AWS silently caps root sessions at one hour.
        self.assertAlmostEqual((expiration - before).total_seconds(), 3600,
                               delta=5)

    def test_bad_config_fails_fast_with_a_reason(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'config.json')
            with open(path, 'w') as f:
                json.dump({'account': '1', 'users': []}, f)
            result = subprocess.run(
                [sys.executable, S.__file__, '--state-dir',
                 os.path.join(tmp, 'state'), '--config', path],
                capture_output=True, text=True, timeout=10)
            self.assertEqual(result.returncode, 2)
            self.assertIn('12-digit account id', result.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
