# Sourced by scripts/fuzz and scripts/browser-test: the Debian packages and the Python
# virtualenv (under .build/) that a script needs, installed when missing.
#
# apt_install PACKAGE... installs the Debian packages not yet installed.
# python_venv FOLDER PACKAGE... makes FOLDER a virtualenv holding the PyPI packages.

apt_install() {
    local missing="" package sudo
    for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"; done
    [ -z "$missing" ] && return
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    echo "installing:$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

python_venv() {
    local folder=$1
    shift
    # Debian's python3 needs python3-venv for a virtualenv with pip.
    apt_install python3-venv
    [ -x "$folder/bin/pip" ] || python3 -m venv "$folder"
    "$folder/bin/pip" install -q --disable-pip-version-check "$@"
}
