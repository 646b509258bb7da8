// main.cpp - teilhabe-kiosk: the window, the renderer, the vault, and the event loop.
//
//   key queue and GLFW callbacks   input noted and replayed to ImGui one key a frame
//   parse_args, load_everything    options; survey, texts, vault, paper registry
//   open_window, init_imgui        the window (GL 3, else GL 2) and ImGui
//   wire_app                       the kiosk state connected to the vault
//   wait_for_work, draw_frame      the event loop: sleep until something is due, draw
//   shut_down                      partial response, transfers ended, nothing left behind
//
//   teilhabe-kiosk --data DIR --survey FILE [--windowed] [--idle SECONDS]
//   teilhabe-kiosk --version | --help
//
// The loop sleeps in glfwWaitEventsTimeout until input arrives or a timer is due (idle
// warning, countdown, thank-you page, PIN back-off, end of speech), so an unattended kiosk
// uses no CPU. A few frames are drawn after every event so hover and focus settle. Under
// systemd's watchdog (the appliance session) each turn of the loop may send WATCHDOG=1: a hung
// frame stops the pings, and systemd restarts the kiosk.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl2.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "app.h"
#include "bench_probe.h"
#include "kiosk_state.h"
#include "render_gl.h"
#include "screens.h"
#include "sd_notify.h"
#include "speech.h"
#include "style.h"
#include "texts.h"
#include "lss_import.h"
#include "provision.h"
#include "vault.h"
#include "version.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
int g_events = 0; // bumped by every GLFW input callback: something may have changed

void on_signal(int) { g_stop = 1; }

// These run before ImGui's own callbacks (the backend chains to them) and only note that
// input arrived.
// Dear ImGui 1.86 reads key state once per frame, so a key pressed and released between two
// frames (fast typists, keypads, xdotool) would be lost, and one seen early could count
// twice. So ImGui's key state is ours: presses are queued here and handed to ImGui one per
// frame, each exactly once, with the modifiers held when the key went down.
struct KeyPress {
    int key, mods;     // key = -1: a typed character
    unsigned ch = 0;
};
std::vector<KeyPress> g_key_queue;
bool g_down[512] = {};
// Keys wait while a text field is about to take the keyboard: ImGui 1.86 gives a field the
// keyboard one or two frames after it was asked to (SetKeyboardFocusHere is a navigation
// request), and characters handed over in between would be dropped. Set after Tab, after
// Enter (a field that took Enter lets go; the next page's field is not there yet), after
// a frame that changed the page, and while ImGui has a focus request pending.
int g_hold_frames = 0;

void key_cb(GLFWwindow*, int key, int, int action, int mods) {
    ++g_events;
    if (action == GLFW_PRESS && key >= 0 && key < 512) g_key_queue.push_back({key, mods});
}

void replay_keys(GLFWwindow* w, ImGuiIO& io) {
    std::vector<int> released;
    for (int k = 0; k < 512; ++k)
        if (g_down[k] && glfwGetKey(w, k) == GLFW_RELEASE) {
            g_down[k] = false;
            released.push_back(k);
        }
    auto held = [w](int a, int b) { return glfwGetKey(w, a) == GLFW_PRESS || glfwGetKey(w, b) == GLFW_PRESS; };
    io.KeyCtrl = held(GLFW_KEY_LEFT_CONTROL, GLFW_KEY_RIGHT_CONTROL);
    io.KeyShift = held(GLFW_KEY_LEFT_SHIFT, GLFW_KEY_RIGHT_SHIFT);
    io.KeyAlt = held(GLFW_KEY_LEFT_ALT, GLFW_KEY_RIGHT_ALT);
    if (g_hold_frames > 0) {
        --g_hold_frames;
        for (int k = 0; k < 512; ++k) io.KeysDown[k] = g_down[k];
        return;
    }
    if (!g_key_queue.empty() && g_key_queue.front().key >= 0) {
        KeyPress p = g_key_queue.front();
        // The same key again right after its release: ImGui must see it up for one frame.
        bool wait = std::find(released.begin(), released.end(), p.key) != released.end();
        if (!wait) {
            g_key_queue.erase(g_key_queue.begin());
            g_down[p.key] = true;
            if (p.key == GLFW_KEY_TAB) g_hold_frames = 2;
            if (p.key == GLFW_KEY_ENTER || p.key == GLFW_KEY_KP_ENTER) g_hold_frames = std::max(g_hold_frames, 1);
            io.KeyCtrl = io.KeyCtrl || (p.mods & GLFW_MOD_CONTROL);
            io.KeyShift = io.KeyShift || (p.mods & GLFW_MOD_SHIFT);
            io.KeyAlt = io.KeyAlt || (p.mods & GLFW_MOD_ALT);
        } else {
            for (int k = 0; k < 512; ++k) io.KeysDown[k] = g_down[k];
            return;
        }
    }
    // The characters this key produced (they follow it in the queue).
    while (!g_key_queue.empty() && g_key_queue.front().key < 0) {
        io.AddInputCharacter(g_key_queue.front().ch);
        g_key_queue.erase(g_key_queue.begin());
    }
    for (int k = 0; k < 512; ++k) io.KeysDown[k] = g_down[k];
}
// Characters go through the same queue so that typing after Tab lands in the next field.
// Installed after ImGui's backend, replacing its character callback.
void char_cb(GLFWwindow*, unsigned c) {
    ++g_events;
    g_key_queue.push_back({-1, 0, c});
}
void button_cb(GLFWwindow*, int, int, int) { ++g_events; }
void scroll_cb(GLFWwindow*, double, double) { ++g_events; }
void cursor_cb(GLFWwindow*, double, double) { ++g_events; }
void size_cb(GLFWwindow*, int, int) { ++g_events; }
void refresh_cb(GLFWwindow*) { ++g_events; }
// A close request (Alt+F4, a window manager's close button, WM_DELETE_WINDOW) is refused:
// it would end the kiosk from any screen, the PIN pad included, without a PIN, and take
// with it an answer the vault holds only in memory (disk full). The kiosk ends from the
// staff menu ("Kiosk beenden") or on SIGTERM, which both finish cleanly.
void close_cb(GLFWwindow* w) {
    glfwSetWindowShouldClose(w, GLFW_FALSE);
    ++g_events;
}

// The clipboard stays empty: text one person copied must not be pasted by the next.
const char* no_clipboard_get(void*) { return ""; }
void no_clipboard_set(void*, const char*) {}

void glfw_error(int code, const char* msg) { std::fprintf(stderr, "teilhabe-kiosk: GLFW error %d: %s\n", code, msg); }

int usage() {
    std::fprintf(stderr,
                 "usage: teilhabe-kiosk --data DIR --survey FILE [--windowed] [--idle SECONDS]\n"
                 "       teilhabe-kiosk --version | --help\n"
                 "  --data DIR      data directory (vault, keys, staff PIN, settings); created if missing\n"
                 "  --survey FILE   survey file (teilhabe-survey/1 JSON, or a LimeSurvey .lss)\n"
                 "  --windowed      a normal 1366x768 window instead of full screen (development)\n"
                 "  --idle SECONDS  inactivity before the \"are you still there\" warning (default 90)\n"
                 "  --version       print the version and exit\n");
    return 2;
}

struct Options {
    std::string data_dir, survey_path;
    bool windowed = false;
    int idle = 0; // 0 = the staff setting
};

// Returns -1 to go on, else the exit status (usage, --help).
int parse_args(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "--data" && value(o.data_dir)) continue;
        if (a == "--survey" && value(o.survey_path)) continue;
        if (a == "--windowed") { o.windowed = true; continue; }
        if (a == "--idle" && value(v)) {
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (!end || *end || n < 5 || n > 86400) {
                std::fprintf(stderr, "teilhabe-kiosk: --idle: expected seconds between 5 and 86400, got \"%s\"\n", v.c_str());
                return 2;
            }
            o.idle = int(n);
            continue;
        }
        if (a == "--help" || a == "-h") return usage(), 0;
        if (a == "--version") return std::printf("teilhabe-kiosk %s\n", TK_VERSION), 0;
        std::fprintf(stderr, "teilhabe-kiosk: unknown or incomplete argument \"%s\"\n", a.c_str());
        return usage();
    }
    if (o.data_dir.empty() || o.survey_path.empty()) return usage();
    return -1;
}

// What the kiosk needs before it opens a window; a missing piece ends it with the reason.
struct Loaded {
    tk::LoadResult survey;
    std::string survey_path, given_survey_hash; // the survey started with (tk::choose_start_survey)
    tk::UiTexts texts;
    std::unique_ptr<tk::Vault> vault;
    std::unique_ptr<tk::PaperRegistry> paper_registry;
};

bool load_everything(const Options& o, Loaded& l) {
    // The survey staff chose or an update installed comes back after a restart.
    tk::StartSurvey start = tk::choose_start_survey(o.data_dir, o.survey_path);
    if (!start.note.empty()) std::fprintf(stderr, "teilhabe-kiosk: %s\n", start.note.c_str());
    l.survey = std::move(start.survey);
    l.survey_path = start.path;
    l.given_survey_hash = start.given_hash;
    if (!l.survey.ok()) {
        for (const auto& e : l.survey.errors) std::fprintf(stderr, "teilhabe-kiosk: %s\n", e.to_string().c_str());
        return false;
    }
    std::string err;
    std::string assets = tk::find_assets_dir();
    if (!tk::load_ui_texts(assets + "/ui-texts.json", l.texts, &err)) {
        std::fprintf(stderr, "teilhabe-kiosk: %s\n", err.c_str());
        return false;
    }
    // The vault comes first: a kiosk that cannot store answers must not collect them.
    l.vault = tk::Vault::open(o.data_dir, true, &err);
    if (!l.vault) {
        std::fprintf(stderr, "teilhabe-kiosk: %s: %s\n", o.data_dir.c_str(), err.c_str());
        return false;
    }
    // Paper double entry keeps its pending (first) entries sealed in its own registry.
    l.paper_registry = tk::PaperRegistry::open(o.data_dir, &err);
    if (!l.paper_registry)
        std::fprintf(stderr, "teilhabe-kiosk: paper entry unavailable: %s\n", err.c_str());
    return true;
}

// The window: borderless full screen (or 1366x768 with --windowed), OpenGL 3.0 first and
// OpenGL 2.1 for old integrated graphics. nullptr when there is none (message printed).
GLFWwindow* open_window(bool windowed, bool& gl3) {
    int win_w = 1366, win_h = 768;
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    if (!windowed && monitor) {
        if (const GLFWvidmode* mode = glfwGetVideoMode(monitor)) {
            win_w = mode->width;
            win_h = mode->height;
        }
        // A borderless window covering the screen: no title bar, no way out but the staff menu.
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
        glfwWindowHint(GLFW_FLOATING, GLFW_TRUE);
    }
    tk::request_colour_only_framebuffer();
    gl3 = std::getenv("TK_KIOSK_FORCE_GL2") == nullptr;
    GLFWwindow* window = nullptr;
    if (gl3) {
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
        window = glfwCreateWindow(win_w, win_h, "Teilhabe Kiosk", nullptr, nullptr);
        if (!window) gl3 = false;
    }
    if (!window) {
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 2);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 1);
        window = glfwCreateWindow(win_w, win_h, "Teilhabe Kiosk", nullptr, nullptr);
    }
    if (!window) {
        std::fprintf(stderr, "teilhabe-kiosk: cannot open an OpenGL window\n");
        return nullptr;
    }
    if (!windowed) glfwSetWindowPos(window, 0, 0);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    glfwSetKeyCallback(window, key_cb);
    glfwSetCharCallback(window, char_cb);
    glfwSetMouseButtonCallback(window, button_cb);
    glfwSetScrollCallback(window, scroll_cb);
    glfwSetCursorPosCallback(window, cursor_cb);
    glfwSetWindowSizeCallback(window, size_cb);
    glfwSetWindowRefreshCallback(window, refresh_cb);
    glfwSetWindowCloseCallback(window, close_cb);
    return window;
}

void init_imgui(GLFWwindow* window, bool gl3) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing about a session is written to disk by ImGui
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false; // steady cursor: calmer, and no timer wakes the CPU
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    if (gl3) ImGui_ImplOpenGL3_Init("#version 130");
    else ImGui_ImplOpenGL2_Init();
    glfwSetCharCallback(window, char_cb); // replaces the backend's: characters are replayed in order
    io.GetClipboardTextFn = no_clipboard_get;
    io.SetClipboardTextFn = no_clipboard_set;
    tk::use_opaque_fills(true);
}

// Connects the kiosk's state to the vault, the survey list and the event loop.
void wire_app(tk::KioskApp& app, const Options& o, Loaded& l, double now) {
    tk::kiosk_init(app, l.survey.survey, std::move(l.texts), o.data_dir, now);
    if (o.idle > 0) app.config.idle_seconds = o.idle;
    app.survey_path = l.survey_path;
    app.given_survey_hash = l.given_survey_hash;
    // Staff may switch to any survey beside the one started with, or in DIR/surveys/.
    auto slash = o.survey_path.find_last_of('/');
    app.survey_dirs = {slash == std::string::npos ? std::string(".") : o.survey_path.substr(0, slash), o.data_dir + "/surveys"};
    app.survey_files = tk::list_survey_files(app.survey_dirs);
    tk::Vault* vault = l.vault.get();
    app.vault = vault;
    app.paper_registry = l.paper_registry.get();
    app.submit_fn = [vault](const tk::Response& r) {
        tk::AppendResult ar = vault->append_response(r);
        return tk::SubmitResult{ar.durable, ar.error};
    };
    app.staff_info_fn = [vault]() { return tk::staff_info_of(vault->status()); };
    // The transport desk's worker wakes the sleeping loop for every progress step.
    app.sync.wake = [] { glfwPostEmptyEvent(); };
    // A pre-seeded appliance enrols itself at its first start (packaging/DEPLOY.md).
    const char* provision = std::getenv("TK_PROVISION_FILE");
    tk::sync_desk_provision_at_start(app.sync, o.data_dir, provision ? provision : tk::kEtcProvisionFile);
}

// Everything the event loop carries from one turn to the next.
struct Loop {
    GLFWwindow* window = nullptr;
    bool gl3 = true;
    tk::KioskApp* app = nullptr;
    tk::UiState ui;
    tk::Speech speech;
    tk::BenchProbe bench;
    const char* layout_path = nullptr;
    const char* renderer = nullptr;
    int frames_left = 3;
    int seen_events = -1;
};

// Sleeps until input or the next timer, then decides how many frames to draw: a few after
// every event (hover and focus settle), one when a timer changed what is shown, none else.
// Returns false when no frame is due; `now` = the time after the wait.
bool wait_for_work(Loop& L, double& now) {
    tk::KioskApp& app = *L.app;
    now = glfwGetTime();
    if (tk::bench_probe_busy(L.bench)) L.frames_left = std::max(L.frames_left, 1);
    double timeout = tk::seconds_to_next_timer(app, now);
    if (tk::speech_active(L.speech)) timeout = std::min(timeout, 0.25);
    timeout = std::min(timeout, 2.0); // wake now and then to notice SIGTERM
    if (L.frames_left > 0) glfwPollEvents();
    else glfwWaitEventsTimeout(std::max(timeout, 0.001));
    now = glfwGetTime();

    const tk::Screen before = app.screen;
    const bool warned = app.idle.warning;
    const int left = app.idle.warning ? int(app.idle.warning_until - now) : 0;
    const int field_gen = app.field.generation; // a print job that finished changes it
    tk::idle_tick(app, now);
    if (tk::sync_desk_poll(app.sync)) {
        tk::adopt_enrolled_site(app); // an enrolment (desk or provisioning) may name the site
        L.frames_left = std::max(L.frames_left, 1);
    }
    bool speaking_before = L.ui.speaking;
    tk::speech_poll(L.speech);
    if (g_events != L.seen_events) {
        L.seen_events = g_events;
        L.frames_left = std::max(L.frames_left, 3);
    }
    const bool locked = app.screen == tk::Screen::StaffPin && app.pin.locked_until > 0;
    if (locked && app.pin.locked_until <= now) app.pin.locked_until = 0; // redraw once when the lock ends
    if (locked || app.screen != before || app.idle.warning != warned || (warned && int(app.idle.warning_until - now) != left) ||
        app.field.generation != field_gen || tk::speech_active(L.speech) != speaking_before)
        L.frames_left = std::max(L.frames_left, 1);
    bool any_down = false;
    for (bool d : g_down) any_down = any_down || d;
    if (!g_key_queue.empty() || any_down || g_hold_frames > 0) L.frames_left = std::max(L.frames_left, 2);
    return L.frames_left > 0;
}

// One frame: ImGui, the kiosk's screens, the renderer, then speech and the layout dump.
void draw_frame(Loop& L, double now) {
    tk::KioskApp& app = *L.app;
    tk::UiState& ui = L.ui;
    ImGuiIO& io = ImGui::GetIO();
    --L.frames_left;
    const double frame_start = tk::monotonic_ms(), frame_cpu = tk::process_cpu_ms();

    // The backend first: its first call makes its GL objects (and a texture of whatever
    // atlas there is), so the kiosk's own atlas is uploaded once, after it.
    if (L.gl3) ImGui_ImplOpenGL3_NewFrame();
    else ImGui_ImplOpenGL2_NewFrame();
    if (tk::kiosk_prepare_frame(app, ui)) tk::upload_font_texture(L.gl3);
    ImGui_ImplGlfw_NewFrame();
    replay_keys(L.window, io);
    ImGui::NewFrame();
    const int gen = app.generation;
    const tk::Screen s0 = app.screen;
    const tk::ReadingSettings r0 = app.reading;
    const std::string name0 = ui.page_name;
    const bool problem0 = app.page.problem.ok();
    tk::draw_kiosk(app, ui, now);
    ImGui::Render();
    {
        // A request that never resolves (a field asked for the keyboard every frame
        // and never got it) must not stop the keys: at most three frames in a row.
        static int focus_waits = 0;
        const ImGuiContext& g = *GImGui;
        const bool pending = g.NavMoveSubmitted || g.NavMoveForwardToNextFrame || g.NavNextActivateId != 0;
        focus_waits = pending ? focus_waits + 1 : 0;
        if (pending && focus_waits <= 3) g_hold_frames = std::max(g_hold_frames, 1);
        if (app.screen != s0 || ui.page_name != name0) g_hold_frames = std::max(g_hold_frames, 1);
    }
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(L.window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    const tk::Theme& th = tk::theme(app.reading.theme);
    glClearColor(((th.bg >> 16) & 0xFF) / 255.0f, ((th.bg >> 8) & 0xFF) / 255.0f, (th.bg & 0xFF) / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (L.gl3) ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    else ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(L.window);
    if (tk::bench_probe_busy(L.bench))
        tk::bench_probe_after_frame(L.bench, app, now, tk::monotonic_ms() - frame_start, tk::process_cpu_ms() - frame_cpu,
                                    L.renderer);
    tk::kiosk_after_frame(app, ui, L.speech);
    if (L.layout_path) tk::write_layout(ui, L.layout_path);
    // What the frame changed is drawn in the next ones (new page, new font size).
    if (app.generation != gen || app.screen != s0 || !(app.reading == r0) || ui.page_name != name0 ||
        app.page.problem.ok() != problem0 || ui.any_input)
        L.frames_left = std::max(L.frames_left, 3);
}

// Leave nothing behind: a partial response of whoever was interrupted goes to the vault, a
// running transfer ends, and ImGui forgets what was typed.
void shut_down(Loop& L) {
    tk::KioskApp& app = *L.app;
    if (app.session) tk::end_session_timeout(app, glfwGetTime());
    // A transport job still running ends first: a sync is told to stop before its next batch
    // (records are marked synced only on a verified receipt, so stopping loses nothing); the
    // request in flight is bounded by the client's time-outs.
    tk::sync_desk_cancel(app.sync);
    if (tk::sync_desk_busy(app.sync)) std::fprintf(stderr, "teilhabe-kiosk: waiting for the running transfer to end\n");
    tk::sync_desk_wait(app.sync);
    tk::speech_stop(L.speech);
    tk::forget_widget_state();
    if (L.gl3) ImGui_ImplOpenGL3_Shutdown();
    else ImGui_ImplOpenGL2_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(L.window);
#if defined(__SANITIZE_ADDRESS__)
    // glfwTerminate() unloads the GL driver; the driver's own leftovers would then show up
    // from an unknown module, which tests/lsan.supp cannot name. Keep it loaded under ASan.
#else
    glfwTerminate();
#endif
}

} // namespace

int main(int argc, char** argv) {
    Options opt;
    if (int rc = parse_args(argc, argv, opt); rc >= 0) return rc;
    Loaded loaded;
    if (!load_everything(opt, loaded)) return 1;

    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);

    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "teilhabe-kiosk: cannot initialise GLFW (no display?)\n");
        return 1;
    }
    Loop L;
    L.window = open_window(opt.windowed, L.gl3);
    if (!L.window) {
        glfwTerminate();
        return 1;
    }
    init_imgui(L.window, L.gl3);

    tk::KioskApp app;
    L.app = &app;
    wire_app(app, opt, loaded, glfwGetTime());
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(L.window, &xs, &ys);
    L.ui.dpi = xs;
    if (const char* d = std::getenv("TK_KIOSK_DPI")) L.ui.dpi = float(std::atof(d));
    if (L.ui.dpi < 0.5f || L.ui.dpi > 4.0f) L.ui.dpi = 1.0f;
    tk::speech_init(L.speech);
    L.layout_path = std::getenv("TK_KIOSK_LAYOUT");
    // TK_KIOSK_BENCH=FILE: tests/bench drives the kiosk to 300 % and reads its frame times.
    if (const char* b = std::getenv("TK_KIOSK_BENCH")) tk::bench_probe_open(L.bench, b);
    L.renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));

    // Only the staff menu ("Kiosk beenden") and SIGTERM/SIGINT end the loop; a window close
    // request does not (close_cb).
    // The loop wakes at least every 2 s (wait_for_work), well within any watchdog interval.
    tk::Watchdog watchdog = tk::watchdog_from_env();
    double now = 0;
    while (!app.quit && !g_stop) {
        if (wait_for_work(L, now)) draw_frame(L, now);
        tk::watchdog_tick(watchdog, now);
    }

    shut_down(L);
    return 0;
}
