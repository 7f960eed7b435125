# The runner's bash rc file: read by `bash --rcfile` when a ShellSession starts (see shell.py's
# module docstring for what each function does). @NONCE@ is replaced by the session's random nonce.
PS1='' PS2='' PS0=''
builtin unset HISTFILE MAILCHECK TMOUT PROMPT_COMMAND
builtin set +o history +H +m
__tutor_nonce=@NONCE@
__tutor_stty=@STTY@  # set when the operator types into blocks (runner/passthrough.py), else empty
__tutor_active='' __tutor_seq=0 __tutor_file='' __tutor_line='' __tutor_exit='' __tutor_home='' __tutor_s=0 __tutor_l=0 __tutor_p='' __tutor_fd='' __tutor_pipe='' __tutor_pc='' __tutor_ps=0
__tutor_trap='{ __tutor_s=$? __tutor_l=$LINENO __tutor_p=${PIPESTATUS[*]}; if (( BASH_SUBSHELL )); then __tutor_sigpipe $__tutor_p || builtin exit "$__tutor_s"; else builtin set +e; if [[ -n ${BASH_SOURCE[0]-} ]]; then if __tutor_sigpipe $__tutor_p; then __tutor_pipe=1; else __tutor_pipe=""; if [[ -z $__tutor_line && ${BASH_SOURCE[0]} == "$__tutor_file" ]]; then __tutor_line=$__tutor_l; fi; builtin return "$__tutor_s"; fi; fi; fi; } 2>/dev/null'
__tutor_trap_p=$(builtin trap -- "$__tutor_trap" ERR; builtin trap -p ERR)
__tutor_tf=${BASH_SOURCE[0]%/*}/trap-p __tutor_t=''  # where __tutor_guarded reads `trap -p` without forking a subshell
__tutor_sigpipe() {  # a pipeline's statuses: only SIGPIPE (141) failures, before a last command that succeeded
    (( $# > 1 )) && [[ ${!#} == 0 ]] || builtin return 1
    local s
    for s in "$@"; do [[ $s == 0 || $s == 141 ]] || builtin return 1; done
}
__tutor_pre() {
    __tutor_seq=$1 __tutor_file=$2 __tutor_line='' __tutor_exit='' __tutor_home='' __tutor_pipe='' __tutor_active=1
    PROMPT_COMMAND=$__tutor_pc
    builtin trap -- "$__tutor_trap" ERR
    builtin set -E +m -o pipefail
    if (( $# >= 3 )); then
        __tutor_l=$PWD
        builtin cd -- "$3" || builtin return
        __tutor_home=$__tutor_l
    fi
}
__tutor_finish() {
    { builtin set +exv; } 2>/dev/null
    __tutor_guarded "$1" || builtin set -- "$?" "$2"
    builtin trap - ERR
    if [[ -n $__tutor_exit ]]; then builtin set -- "$__tutor_exit" "$2"; fi
    if [[ $1 == 141 && -n $__tutor_pipe ]]; then builtin set -- 0 "$2"; fi
    if [[ -n $__tutor_home ]]; then builtin cd -- "$__tutor_home" || :; fi
    __tutor_active=''
    [[ -z $__tutor_stty ]] || __tutor_drain
    builtin printf '__TUTOR_DONE_%s:%s:%s:%s:%s__' "$__tutor_nonce" "$__tutor_seq" "$1" "$__tutor_line" "$2" > /dev/tty
}
__tutor_keys() {  # the block's terminal echoes what the operator types (the runner's command line did not show)
    [[ -z $__tutor_stty ]] || "$__tutor_stty" echo 2>/dev/null || :
}
__tutor_drain() {  # whole lines typed but not read by the block: read here, never run as the next command
    # -d '': read byte by byte; a buffered read would keep what it read past the line for the next
    # `read` of the shell, whatever file that one reads (bash's input buffer is shared)
    local __tutor_k __tutor_i=0
    while (( __tutor_i++ < 64 )) && builtin read -r -t 0 2>/dev/null; do builtin read -r -d '' -t 0.01 __tutor_k 2>/dev/null || :; done
}
__tutor_guarded() {  # the block left the ERR trap, errtrace and pipefail as __tutor_pre set them, else it fails
    if { builtin trap -p ERR >| "$__tutor_tf"; } 2>/dev/null; then
        IFS= builtin read -r -d '' __tutor_t < "$__tutor_tf" || :  # no NUL: status 1 at the end, never the ERR trap
        __tutor_t=${__tutor_t%$'\n'}
    else
        __tutor_t=$(builtin trap -p ERR)
    fi
    if [[ $- != *E* || $__tutor_t != "$__tutor_trap_p" ]]; then
        builtin printf '%s\n' "tutor: this block changed how the runner sees a failing command (trap … ERR, or set +E), so a failure could have gone unseen; it counts as failed" > /dev/tty
    elif ! builtin shopt -qo pipefail; then
        builtin printf '%s\n' "tutor: this block turned pipefail off (set +o pipefail), so a failing command inside a pipeline could have gone unseen; it counts as failed" > /dev/tty
    else
        builtin return 0
    fi
    (( $1 )) && builtin return "$1"
    builtin return 1
}
__tutor_post() { __tutor_finish "$1" p; }
__tutor_prompt() {  # $__tutor_ps: the status of the command line, taken first thing by PROMPT_COMMAND
    __tutor_fd=''
    PS1='' PS2='' PS0=''
    if [[ -n $__tutor_active ]]; then __tutor_finish "$__tutor_ps" i; fi
}
__tutor_env() {
    local IFS=$'\n' __tutor_n
    for __tutor_n in $(builtin compgen -e); do builtin printf '%s=%s\0' "$__tutor_n" "${!__tutor_n-}"; done > "$1"
}
export() {  # the builtin; then the value of each secret name it exported goes to the runner, which masks it from here on
    { builtin export "$@" 2>&3; } 3>&2 2>/dev/null || builtin return
    { __tutor_tell_secrets "$@"; builtin return 0; } 2>/dev/null
}
__tutor_tell_secrets() {
    [[ -n $__tutor_active ]] || builtin return 0
    local __tutor_a __tutor_n __tutor_x
    for __tutor_a in "$@"; do
        __tutor_n=${__tutor_a%%=*}
        [[ $__tutor_n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [[ ${__tutor_n^^} =~ @SECRET_NAME@ ]] && [[ -n ${!__tutor_n-} ]] || continue
        __tutor_x=$(builtin printf '%s' "${!__tutor_n}" | od -An -v -tx1 | tr -d ' \n') || continue
        builtin printf '__TUTOR_DONE_%s:S:%s__' "$__tutor_nonce" "$__tutor_x" > /dev/tty
    done
}
exit() {
    { (( BASH_SUBSHELL )) || [[ -z $__tutor_active ]]; } 2>/dev/null && builtin exit "$@"
    { builtin set +xv; } 2>/dev/null
    __tutor_exit=${1-$?}
    if [[ ! $__tutor_exit =~ ^-?[0-9]+$ ]]; then __tutor_exit=2; fi
    __tutor_exit=$(( __tutor_exit & 255 ))
    exec {__tutor_fd}>&2 2>/dev/null  # bash prints a newline on SIGINT; the block did not
    builtin kill -INT $$
}
# The runner's own commands run with stderr to /dev/null so that a block's `set -x` does not trace
# them; only the restoring of stderr after `exit` must happen outside that redirection.
__tutor_pc='__tutor_ps=$?; [[ -z $__tutor_fd ]] || exec 2>&"$__tutor_fd" {__tutor_fd}>&-; { __tutor_prompt; } 2>/dev/null'
PROMPT_COMMAND=$__tutor_pc
