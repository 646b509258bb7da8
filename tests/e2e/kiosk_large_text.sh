#!/bin/bash
# The citizen survey by touch at 300 % text in the high-contrast theme on a 1366x768 screen,
# with every page read aloud: every control must be reachable (vertical scrolling only), every
# question page is spoken, and the vault gets the record.
export TK_SCALE=300 TK_THEME=high TK_READ_AUTO=1
exec bash "$(dirname "$0")/kiosk_mouse.sh"
