// send_close_request.cpp - sends a window what a window manager sends for Alt+F4 or its close
// button: a WM_PROTOCOLS client message carrying WM_DELETE_WINDOW (ICCCM 4.2.8.1).
//
//   send-close-request WINDOW_ID
//
// `xdotool windowclose` would destroy the window instead, and `wmctrl -c` needs a running
// window manager to turn its request into this message; the kiosk tests run on a bare Xvfb.
// Exits 3 when the window does not take part in WM_DELETE_WINDOW (then a close request could
// not reach it and a test relying on it would prove nothing).
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: send-close-request WINDOW_ID\n");
        return 2;
    }
    char* end = nullptr;
    unsigned long id = std::strtoul(argv[1], &end, 0);
    if (!end || *end || id == 0) {
        std::fprintf(stderr, "send-close-request: not a window id: \"%s\"\n", argv[1]);
        return 2;
    }
    Display* dpy = XOpenDisplay(nullptr);
    if (!dpy) {
        std::fprintf(stderr, "send-close-request: cannot open the display (DISPLAY not set?)\n");
        return 1;
    }
    const Window win = Window(id);
    const Atom protocols = XInternAtom(dpy, "WM_PROTOCOLS", False);
    const Atom del = XInternAtom(dpy, "WM_DELETE_WINDOW", False);
    Atom* list = nullptr;
    int n = 0;
    bool listed = false;
    if (XGetWMProtocols(dpy, win, &list, &n)) {
        for (int i = 0; i < n; ++i) listed = listed || list[i] == del;
        XFree(list);
    }
    if (!listed) {
        std::fprintf(stderr, "send-close-request: window 0x%lx does not list WM_DELETE_WINDOW\n", id);
        XCloseDisplay(dpy);
        return 3;
    }
    XEvent ev = {};
    ev.xclient.type = ClientMessage;
    ev.xclient.window = win;
    ev.xclient.message_type = protocols;
    ev.xclient.format = 32;
    ev.xclient.data.l[0] = long(del);
    ev.xclient.data.l[1] = CurrentTime;
    const Status sent = XSendEvent(dpy, win, False, NoEventMask, &ev);
    XSync(dpy, False);
    XCloseDisplay(dpy);
    if (!sent) {
        std::fprintf(stderr, "send-close-request: XSendEvent failed\n");
        return 1;
    }
    return 0;
}
