#!/bin/sh
# Install GovPub with its test dependencies into ./.venv and run the whole test suite.
# Browser tests drive Debian's chromium; it is installed here when missing (needs root or sudo).
EXTRAS="[test]"
. "$(dirname "$0")/bootstrap.sh"
if [ ! -x /usr/bin/chromium ]; then
    echo "正在安装浏览器测试所需的 chromium ..." >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
        || echo "无法自动安装 chromium：请以 root 身份运行 apt-get install chromium，否则浏览器测试将失败。" >&2
fi
# The deployment tests (tests/ops/test_deployment.py) run nginx -t, logrotate and systemd-analyze for real.
if [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/sbin/logrotate ] || [ ! -x /usr/bin/systemd-analyze ]; then
    echo "正在安装部署测试所需的 nginx、logrotate、systemd ..." >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light logrotate systemd openssl >/dev/null \
        || echo "无法自动安装 nginx/logrotate：请以 root 身份运行 apt-get install nginx-light logrotate systemd，否则部署测试将失败。" >&2
fi
# The Word import tests convert real .doc/.wps files with LibreOffice; CJK glyphs and pdftotext for what is rendered.
if [ ! -x /usr/bin/soffice ] || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || [ ! -x /usr/bin/pdftotext ]; then
    echo "正在安装 Word/WPS 导入测试所需的 LibreOffice、中文字体和 poppler-utils ..." >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-writer-nogui fonts-wqy-zenhei poppler-utils >/dev/null \
        || echo "无法自动安装 LibreOffice：请以 root 身份运行 apt-get install libreoffice-writer-nogui fonts-wqy-zenhei poppler-utils，否则 Word/WPS 导入测试将失败。" >&2
fi
exec .venv/bin/python -m pytest "$@"
