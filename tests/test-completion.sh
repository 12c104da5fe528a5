#!/bin/bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The botomfa authors
#
# The bash completion data/completion/botomfa, as TAP.
#
#   test-completion.sh COMPLETION-FILE [BOTOMFA]
#
# _botomfa runs in a scratch HOME with fixture AWS and boto files, first on
# its own, then with bash-completion's bash_completion loaded (when it is
# installed), as bash calls it: COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT set. With BOTOMFA, the options it completes for each command
# are compared with those the command's --help lists.

completion=$(realpath "$1")
botomfa=${2:+$(realpath "$2")}
bash_completion=/usr/share/bash-completion/bash_completion

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME=$scratch/home
export LC_ALL=C
unset AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE BOTO_CONFIG AWS_PROFILE
mkdir -p "$HOME/.aws" "$scratch/alt"

# Profiles: default, work, "spaced" and shared in the config; shared again,
# ci (from ci-long-term) and work again in the credentials file, with CRLF
# line ends; default (from long-term), boto-only and shared in the boto
# config. The other sections are no profiles.
cat >"$HOME/.aws/config" <<'EOF'
# a comment [not-a-section]
[default]
region = eu-west-1

[profile work]
mfa_serial = arn:aws:iam::123456789012:mfa/person
[profile   spaced  ]
[sso-session corp]
[plugins]
[profile shared]
EOF
printf '[shared]\r\naws_access_key_id = ASIA\r\n[ci-long-term]\r\n[work]' \
  >"$HOME/.aws/credentials"
cat >"$HOME/.boto" <<'EOF'
[Credentials]
aws_access_key_id = ASIA
[long-term]
[Boto]
[boto-only-long-term]
[shared-long-term]
EOF
printf '[profile alt-config]\n[profile "quoted one"]\n' >"$scratch/alt/config"
printf '[alt-credentials]\n' >"$scratch/alt/credentials"
printf '[alt-boto-long-term]\n[alt-session]\n' >"$scratch/alt/boto"

count=0
failed=0

# Completes the command line $1 (the cursor at its end) or, with more
# arguments, the words $2... with the cursor in the last one, as readline
# splits them (so "--profile=x" is "--profile" "=" "x"). COMPREPLY is the
# answer and $scratch/stderr what _botomfa said on stderr.
complete_line()
{
    COMP_LINE=$1
    COMP_POINT=${#COMP_LINE}
    shift
    if (($# > 0)); then
        COMP_WORDS=("$@")
    else
        read -ra COMP_WORDS <<<"$COMP_LINE"
        [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    fi
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _botomfa botomfa "${COMP_WORDS[COMP_CWORD]}" \
        "${COMP_WORDS[COMP_CWORD - 1]}" 2>"$scratch/stderr"
}

report()
{
    count=$((count + 1))
    if [[ $1 == ok ]]; then
        echo "ok $count - $2"
    else
        failed=$((failed + 1))
        echo "not ok $count - $2"
        printf '#   %s\n' "${@:3}"
    fi
}

# expect_reply DESCRIPTION EXPECTED: COMPREPLY is exactly the words of
# EXPECTED, in that order, and nothing reached stderr.
expect_reply()
{
    local got="${COMPREPLY[*]}"
    if [[ $got == "$2" && ! -s $scratch/stderr ]]; then
        report ok "$1"
    else
        report fail "$1" "expected: [$2]" "got:      [$got]" \
            "stderr:   [$(cat "$scratch/stderr")]"
    fi
}

# expect_contains DESCRIPTION WORD...: COMPREPLY holds every WORD.
expect_contains()
{
    local description=$1 word missing=
    shift
    for word; do
        printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$word" ||
            missing+=" $word"
    done
    if [[ -z $missing ]]; then
        report ok "$description"
    else
        report fail "$description" "missing:$missing" "got: [${COMPREPLY[*]}]"
    fi
}

# The first words of the "Commands:" block of "botomfa $1 --help": the
# commands, or the keys actions; sorted, on one line.
help_commands()
{
    # shellcheck disable=SC2086 # no command: no word
    "$botomfa" $1 --help | awk '
        $0 == "Commands:" { inside = 1; next }
        /^$/ { inside = 0 }
        inside && /^  [^ ]/ { print $1 }' | sort -u | tr '\n' ' '
}

# The long options "botomfa $1 --help" lists, sorted, on one line.
help_options()
{
    local line
    local option='^ +(-[[:alnum:]], +)?(--[[:alnum:]][-[:alnum:]]*)'
    # shellcheck disable=SC2086 # no command: no word
    "$botomfa" $1 --help | while IFS= read -r line; do
        [[ $line =~ $option ]] && echo "${BASH_REMATCH[2]}"
    done | sort -u | tr '\n' ' '
}

run_all()
{
    local mode=$1 command line expected got

    complete_line 'botomfa '
    expect_contains "$mode: botomfa <TAB> offers the commands and options" \
        keys status export devices credential-process --profile --duration \
        --clear --version
    complete_line 'botomfa st'
    expect_reply "$mode: botomfa st<TAB>" 'status'

    complete_line 'botomfa keys '
    expect_reply "$mode: botomfa keys <TAB>" 'set import list delete'
    complete_line 'botomfa keys --profile work '
    expect_reply "$mode: botomfa keys --profile work <TAB>" \
        'set import list delete'
    complete_line 'botomfa keys import --'
    expect_reply "$mode: botomfa keys import --<TAB>" \
        '--profile --remove-plaintext --debug --help'
    complete_line 'botomfa keys import '
    expect_reply "$mode: botomfa keys import <TAB>" \
        '--profile --remove-plaintext --debug --help'

    complete_line 'botomfa --profile '
    expect_reply "$mode: botomfa --profile <TAB>: all three files" \
        'boto-only ci default shared spaced work'
    complete_line 'botomfa -p s'
    expect_reply "$mode: botomfa -p s<TAB>" 'shared spaced'
    complete_line 'botomfa --profile=w' botomfa --profile = w
    expect_reply "$mode: botomfa --profile=w<TAB>" 'work'
    complete_line 'botomfa status --profile b'
    expect_reply "$mode: botomfa status --profile b<TAB>" 'boto-only'
    complete_line 'botomfa keys set -p c'
    expect_reply "$mode: botomfa keys set -p c<TAB>" 'ci'

    # shellcheck disable=SC2088 # _botomfa expands this "~/", as botocore
    AWS_CONFIG_FILE='~/../alt/config' \
        AWS_SHARED_CREDENTIALS_FILE=$scratch/alt/credentials \
        BOTO_CONFIG=$scratch/alt/boto complete_line 'botomfa --profile '
    expect_reply "$mode: the files the environment names" \
        'alt-boto alt-config alt-credentials quoted one'
    HOME=$scratch/nowhere complete_line 'botomfa --profile '
    expect_reply "$mode: no files: no profile, no message" ''
    AWS_CONFIG_FILE=$scratch AWS_SHARED_CREDENTIALS_FILE=$scratch/alt \
        BOTO_CONFIG=$scratch/home/.aws complete_line 'botomfa --profile '
    expect_reply "$mode: directories, not files: no profile, no message" ''

    complete_line 'botomfa --duration '
    expect_reply "$mode: botomfa --duration <TAB>" '900 3600 43200'
    complete_line 'botomfa --aws-act-num '
    expect_reply "$mode: botomfa --aws-act-num <TAB>: nothing to offer" ''
    complete_line 'botomfa -r '
    expect_reply "$mode: botomfa -r <TAB>: nothing to offer" ''

    complete_line 'botomfa status --'
    expect_contains "$mode: botomfa status --<TAB>" --json --check --profile
    complete_line 'botomfa status --'
    expect_reply "$mode: botomfa status --<TAB>, exactly" \
        '--profile --json --check --debug --help'
    complete_line 'botomfa status '
    expect_reply "$mode: botomfa status <TAB>: no command after a command" \
        '--profile --json --check --debug --help'
    complete_line 'botomfa credential-process --p'
    expect_reply "$mode: botomfa credential-process --p<TAB>" '--profile'
    complete_line 'botomfa export --'
    expect_reply "$mode: botomfa export --<TAB>" '--profile --help'
    complete_line 'botomfa --clear --d'
    expect_reply "$mode: botomfa --clear --d<TAB>" '--duration --debug'

    [[ -n $botomfa ]] || return 0
    for command in '' keys; do
        line="botomfa ${command:+$command }"
        expected=$(help_commands "$command")
        complete_line "$line"
        got=$(printf '%s\n' "${COMPREPLY[@]}" | grep -v '^-' | sort -u |
            tr '\n' ' ')
        if [[ -n $expected && $got == "$expected" ]]; then
            report ok "$mode: $line<TAB> offers the commands --help lists"
        else
            report fail "$mode: $line<TAB> offers the commands --help lists" \
                "--help:     [$expected]" "completion: [$got]"
        fi
    done
    for command in '' keys status export devices credential-process; do
        line="botomfa ${command:+$command }--"
        expected=$(help_options "$command")
        complete_line "$line"
        got=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ')
        if [[ -n $expected && $got == "$expected" ]]; then
            report ok "$mode: $line<TAB> offers what --help lists"
        else
            report fail "$mode: $line<TAB> offers what --help lists" \
                "--help:     [$expected]" "completion: [$got]"
        fi
    done
}

# shellcheck source=data/completion/botomfa
source "$completion"
if [[ $(complete -p botomfa 2>&1) == "complete -F _botomfa botomfa" ]]; then
    report ok "the file registers _botomfa for botomfa"
else
    report fail "the file registers _botomfa for botomfa" \
        "complete -p botomfa: $(complete -p botomfa 2>&1)"
fi
run_all plain
if [[ -r $bash_completion ]]; then
    # shellcheck source=/dev/null
    source "$bash_completion"
    # shellcheck source=data/completion/botomfa
    source "$completion"
    if declare -F _init_completion >/dev/null; then
        report ok "bash-completion loaded"
    else
        report fail "bash-completion loaded" "no _init_completion"
    fi
    run_all bash-completion
else
    echo "# $bash_completion not installed: tested without it"
fi

echo "1..$count"
exit $((failed > 0))
