#!/bin/bash
# The citizen survey by touch at 300 % text in the high-contrast theme on a 1366x768 screen:
# every control must be reachable (vertical scrolling only) and the vault gets the record.
export TK_SCALE=300 TK_THEME=high
exec bash "$(dirname "$0")/kiosk_mouse.sh"
