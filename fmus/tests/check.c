/*
 * check.c - a small FMI importer that checks every example FMU binary.
 *
 *     fmu_check <stage folder> <fmus source folder> [Model ...]
 *
 * For each model it dlopens stage/fmi2/<Model>/binaries/linux64/<Model>.so and
 * stage/fmi3/<Model>/binaries/x86_64-linux/<Model>.so, reads the instantiation token, default
 * experiment and value references from the generated FMI 3 modelDescription.xml, runs
 * Co-Simulation (and Model Exchange with its own RK4 + event handling) and compares with the
 * model's reference (reference.csv or analytic values) and FMI 2 with FMI 3.
 * Prints one line per check and exits non-zero if any check failed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmi2FunctionTypes.h"
#include "fmi3FunctionTypes.h"

static const char* stageDir;
static const char* sourceDir;
static int failures, checks;

static void check(bool ok, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    printf("%s ", ok ? "  ok  " : "  FAIL");
    vprintf(fmt, args);
    printf("\n");
    va_end(args);
    checks++;
    if (!ok) failures++;
}

static char* read_file(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char* s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    s[n] = 0;
    fclose(f);
    return s;
}

/* ---- model description (the generated FMI 3 XML; FMI 2 shares the value references) ---------- */

typedef struct {
    char name[64];
    char* xml;
    char token[128];
    double startTime, stopTime, stepSize;
} Model;

/* Text of attribute `attr` of the first element at or after `from`, into out. */
static bool xml_attr(const char* from, const char* attr, char* out, size_t n) {
    char key[80];
    snprintf(key, sizeof key, " %s=\"", attr);
    const char* p = strstr(from, key);
    if (!p) return false;
    p += strlen(key);
    const char* e = strchr(p, '"');
    if (!e || (size_t)(e - p) >= n) return false;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = 0;
    return true;
}

static double xml_number(const char* from, const char* attr) {
    char buf[64];
    return xml_attr(from, attr, buf, sizeof buf) ? strtod(buf, NULL) : NAN;
}

static bool load_model(Model* m, const char* name) {
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    char path[1024];
    snprintf(path, sizeof path, "%s/fmi3/%s/modelDescription.xml", stageDir, name);
    m->xml = read_file(path);
    if (!m->xml || !xml_attr(m->xml, "instantiationToken", m->token, sizeof m->token)) return false;
    const char* de = strstr(m->xml, "<DefaultExperiment");
    if (de) {
        m->startTime = xml_number(de, "startTime");
        m->stopTime = xml_number(de, "stopTime");
        m->stepSize = xml_number(de, "stepSize");
    }
    return true;
}

/* Value reference of the variable called name (-1 if none). */
static int vr_of(const Model* m, const char* name) {
    char key[128];
    snprintf(key, sizeof key, " name=\"%s\" valueReference=\"", name);
    const char* p = strstr(m->xml, key);
    return p ? atoi(p + strlen(key)) : -1;
}

/* ---- a minimal importer for both FMI versions ------------------------------------------------ */

static char lastMessage[2048];
static int messages;

static void logger2(fmi2ComponentEnvironment env, fmi2String instanceName, fmi2Status status, fmi2String category,
                    fmi2String message, ...) {
    (void)env, (void)instanceName, (void)status, (void)category;
    va_list args;
    va_start(args, message);
    vsnprintf(lastMessage, sizeof lastMessage, message, args); /* the variadic arguments must be there */
    va_end(args);
    messages++;
    if (getenv("FMU_CHECK_VERBOSE")) printf("        [log %s] %s\n", category, lastMessage);
}

static void logger3(fmi3InstanceEnvironment env, fmi3Status status, fmi3String category, fmi3String message) {
    (void)env, (void)status;
    snprintf(lastMessage, sizeof lastMessage, "%s", message);
    messages++;
    if (getenv("FMU_CHECK_VERBOSE")) printf("        [log %s] %s\n", category, lastMessage);
}

typedef struct {
    const Model* model;
    int version;
    bool cs;
    void* lib;
    void* c; /* fmi2Component / fmi3Instance */
    double time;
    /* ME: our own integrator */
    size_t nx, nz;
    bool nextEventDefined;
    double nextEventTime;
    double dt;
    int events;
} Sim;

static fmi2CallbackFunctions callbacks2 = {logger2, calloc, free, NULL, NULL};

/* dlsym with a small cache (names are string literals, so their addresses identify them) */
static struct { const void* lib; const char* name; void* f; } cache[512];

static void* sym(const Sim* s, const char* name) {
    size_t h = (((uintptr_t)name >> 3) ^ ((uintptr_t)s->lib >> 4)) % 512;
    for (size_t i = 0; i < 512; i++, h = (h + 1) % 512) {
        if (cache[h].lib == s->lib && cache[h].name == name) return cache[h].f;
        if (!cache[h].name) break;
    }
    void* f = dlsym(s->lib, name);
    if (f && !cache[h].name) cache[h].lib = s->lib, cache[h].name = name, cache[h].f = f;
    if (!f) {
        fprintf(stderr, "missing symbol %s in %s\n", name, s->model->name);
        exit(3);
    }
    return f;
}
/* a library handle may be reused by the next dlopen: drop its cache entries on close */
static void sym_forget(const Sim* s);
#define F2(s, fn) ((fn##TYPE*)sym((s), #fn))
#define F3(s, fn) ((fn##TYPE*)sym((s), #fn))

static void sym_forget(const Sim* s) {
    memset(cache, 0, sizeof cache); /* simplest correct invalidation: libraries are closed rarely */
    (void)s;
}

static void* open_binary(const char* model, int version) {
    char path[1024];
    snprintf(path, sizeof path, "%s/fmi%d/%s/binaries/%s/%s.so", stageDir, version, model,
             version == 2 ? "linux64" : "x86_64-linux", model);
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

/* Loads and instantiates; NULL on failure. */
static Sim* sim_new(const Model* m, int version, bool cs, bool earlyReturn) {
    Sim* s = calloc(1, sizeof *s);
    s->model = m;
    s->version = version;
    s->cs = cs;
    s->dt = 1e-3;
    s->lib = open_binary(m->name, version);
    if (!s->lib) {
        printf("        dlopen: %s\n", dlerror());
        free(s);
        return NULL;
    }
    if (version == 2)
        s->c = F2(s, fmi2Instantiate)("check", cs ? fmi2CoSimulation : fmi2ModelExchange, m->token, "file:///tmp",
                                      &callbacks2, fmi2False, fmi2True);
    else if (cs)
        s->c = F3(s, fmi3InstantiateCoSimulation)("check", m->token, "/tmp", false, true, false, earlyReturn, NULL, 0, NULL,
                                                  logger3, NULL);
    else
        s->c = F3(s, fmi3InstantiateModelExchange)("check", m->token, "/tmp", false, true, NULL, logger3);
    if (!s->c) {
        dlclose(s->lib);
        free(s);
        return NULL;
    }
    if (!cs) {
        /* the numbers of states and event indicators from the FMI 3 XML */
        const char* p = s->model->xml;
        while ((p = strstr(p, "<ContinuousStateDerivative "))) s->nx++, p++;
        p = s->model->xml;
        while ((p = strstr(p, "<EventIndicator "))) s->nz++, p++;
    }
    return s;
}

static int sim_set(Sim* s, const char* name, double value) {
    int vr = vr_of(s->model, name);
    if (vr < 0) return 3;
    fmi2ValueReference v2 = (fmi2ValueReference)vr;
    fmi3ValueReference v3 = (fmi3ValueReference)vr;
    if (s->version == 2) return F2(s, fmi2SetReal)(s->c, &v2, 1, &value);
    return F3(s, fmi3SetFloat64)(s->c, &v3, 1, &value, 1);
}

static double sim_get(Sim* s, const char* name) {
    int vr = vr_of(s->model, name);
    double value = NAN;
    if (vr < 0) return NAN;
    fmi2ValueReference v2 = (fmi2ValueReference)vr;
    fmi3ValueReference v3 = (fmi3ValueReference)vr;
    int st = s->version == 2 ? (int)F2(s, fmi2GetReal)(s->c, &v2, 1, &value) : (int)F3(s, fmi3GetFloat64)(s->c, &v3, 1, &value, 1);
    return st <= 1 ? value : NAN;
}

static int sim_get_int(Sim* s, const char* name) {
    int vr = vr_of(s->model, name), st;
    if (vr < 0) return -999999;
    fmi2ValueReference v2 = (fmi2ValueReference)vr;
    fmi3ValueReference v3 = (fmi3ValueReference)vr;
    if (s->version == 2) {
        fmi2Integer i = 0;
        st = F2(s, fmi2GetInteger)(s->c, &v2, 1, &i);
        return st <= 1 ? i : -999999;
    }
    fmi3Int32 i = 0;
    st = F3(s, fmi3GetInt32)(s->c, &v3, 1, &i, 1);
    return st <= 1 ? i : -999999;
}

static int sim_get_bool(Sim* s, const char* name) {
    int vr = vr_of(s->model, name), st;
    if (vr < 0) return -1;
    fmi2ValueReference v2 = (fmi2ValueReference)vr;
    fmi3ValueReference v3 = (fmi3ValueReference)vr;
    if (s->version == 2) {
        fmi2Boolean b = 0;
        st = F2(s, fmi2GetBoolean)(s->c, &v2, 1, &b);
        return st <= 1 ? b : -1;
    }
    fmi3Boolean b = false;
    st = F3(s, fmi3GetBoolean)(s->c, &v3, 1, &b, 1);
    return st <= 1 ? b : -1;
}

/* ME helpers */
static int me_set_time(Sim* s, double t) {
    return s->version == 2 ? (int)F2(s, fmi2SetTime)(s->c, t) : (int)F3(s, fmi3SetTime)(s->c, t);
}
static int me_set_x(Sim* s, const double* x) {
    return s->version == 2 ? (int)F2(s, fmi2SetContinuousStates)(s->c, x, s->nx)
                           : (int)F3(s, fmi3SetContinuousStates)(s->c, x, s->nx);
}
static int me_get_x(Sim* s, double* x) {
    return s->version == 2 ? (int)F2(s, fmi2GetContinuousStates)(s->c, x, s->nx)
                           : (int)F3(s, fmi3GetContinuousStates)(s->c, x, s->nx);
}
static int me_get_dx(Sim* s, double* dx) {
    return s->version == 2 ? (int)F2(s, fmi2GetDerivatives)(s->c, dx, s->nx)
                           : (int)F3(s, fmi3GetContinuousStateDerivatives)(s->c, dx, s->nx);
}
static int me_get_z(Sim* s, double* z) {
    if (s->nz == 0) return 0;
    return s->version == 2 ? (int)F2(s, fmi2GetEventIndicators)(s->c, z, s->nz)
                           : (int)F3(s, fmi3GetEventIndicators)(s->c, z, s->nz);
}

/* Event Mode: iterate the discrete update, then back to Continuous-Time Mode. */
static int me_event_iteration(Sim* s) {
    for (;;) {
        bool again, defined;
        double next;
        int st;
        if (s->version == 2) {
            fmi2EventInfo info;
            st = F2(s, fmi2NewDiscreteStates)(s->c, &info);
            again = info.newDiscreteStatesNeeded;
            defined = info.nextEventTimeDefined;
            next = info.nextEventTime;
        } else {
            fmi3Boolean a, term, nom, val, def;
            st = F3(s, fmi3UpdateDiscreteStates)(s->c, &a, &term, &nom, &val, &def, &next);
            again = a;
            defined = def;
        }
        if (st > 1) return st;
        s->nextEventDefined = defined;
        s->nextEventTime = next;
        if (!again) break;
    }
    return s->version == 2 ? (int)F2(s, fmi2EnterContinuousTimeMode)(s->c) : (int)F3(s, fmi3EnterContinuousTimeMode)(s->c);
}

static int sim_init(Sim* s) {
    const Model* m = s->model;
    int st;
    if (s->version == 2) {
        st = F2(s, fmi2SetupExperiment)(s->c, fmi2False, 0, m->startTime, fmi2True, m->stopTime);
        if (st <= 1) st = F2(s, fmi2EnterInitializationMode)(s->c);
        if (st <= 1) st = F2(s, fmi2ExitInitializationMode)(s->c);
    } else {
        st = F3(s, fmi3EnterInitializationMode)(s->c, false, 0, m->startTime, true, m->stopTime);
        if (st <= 1) st = F3(s, fmi3ExitInitializationMode)(s->c);
    }
    s->time = m->startTime;
    if (st <= 1 && !s->cs) st = me_event_iteration(s);
    return st;
}

/* One RK4 step of size h from (t0, x0); leaves the FMU at (t0 + h, x1). */
static int me_rk4(Sim* s, double t0, const double* x0, double h, double* x1) {
    double k[4][16], xt[16];
    const double c[4] = {0, 0.5, 0.5, 1};
    for (int j = 0; j < 4; j++) {
        for (size_t i = 0; i < s->nx; i++) xt[i] = x0[i] + (j ? c[j] * h * k[j - 1][i] : 0.0);
        if (me_set_time(s, t0 + c[j] * h) > 1 || (s->nx && me_set_x(s, xt) > 1) || (s->nx && me_get_dx(s, k[j]) > 1)) return 3;
    }
    for (size_t i = 0; i < s->nx; i++) x1[i] = x0[i] + h / 6 * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
    if (me_set_time(s, t0 + h) > 1 || (s->nx && me_set_x(s, x1) > 1)) return 3;
    return 0;
}

static bool me_crossed(const Sim* s, const double* z0, const double* z1) {
    for (size_t i = 0; i < s->nz; i++)
        if ((z0[i] > 0) != (z1[i] > 0)) return true;
    return false;
}

/* ME integration to tEnd: RK4 with step dt, state events located by bisection, time events. */
static int me_advance(Sim* s, double tEnd) {
    double x0[16], x1[16], z0[16], z1[16];
    while (s->time < tEnd - 1e-12) {
        double t0 = s->time, t1 = fmin(t0 + s->dt, tEnd);
        bool timeEvent = false;
        if (s->nextEventDefined && s->nextEventTime <= t1 + 1e-12) {
            t1 = fmax(s->nextEventTime, t0);
            timeEvent = true;
        }
        if (me_get_x(s, x0) > 1 || me_get_z(s, z0) > 1) return 3;
        if (me_rk4(s, t0, x0, t1 - t0, x1) || me_get_z(s, z1) > 1) return 3;
        bool stateEvent = me_crossed(s, z0, z1);
        if (stateEvent) {
            double tl = t0, tr = t1;
            while (tr - tl > 1e-11) {
                double tm = 0.5 * (tl + tr);
                if (me_rk4(s, t0, x0, tm - t0, x1) || me_get_z(s, z1) > 1) return 3;
                if (me_crossed(s, z0, z1)) tr = tm;
                else tl = tm;
            }
            if (me_rk4(s, t0, x0, tr - t0, x1)) return 3; /* just after the crossing */
            t1 = tr;
            timeEvent = s->nextEventDefined && s->nextEventTime <= t1 + 1e-12;
        }
        s->time = t1;
        fmi2Boolean enter2 = 0, term2 = 0;
        fmi3Boolean enter3 = false, term3 = false;
        int st = s->version == 2 ? (int)F2(s, fmi2CompletedIntegratorStep)(s->c, fmi2True, &enter2, &term2)
                                 : (int)F3(s, fmi3CompletedIntegratorStep)(s->c, true, &enter3, &term3);
        if (st > 1) return st;
        if (stateEvent || timeEvent) {
            s->events++;
            st = s->version == 2 ? (int)F2(s, fmi2EnterEventMode)(s->c) : (int)F3(s, fmi3EnterEventMode)(s->c);
            if (st <= 1) st = me_event_iteration(s);
            if (st > 1) return st;
        }
    }
    return 0;
}

/* One communication step; CS may return early (FMI 3), then s->time is the early-return time. */
static int sim_step(Sim* s, double h) {
    int st;
    if (!s->cs) {
        st = me_advance(s, s->time + h);
        return st;
    }
    if (s->version == 2) {
        st = F2(s, fmi2DoStep)(s->c, s->time, h, fmi2True);
        if (st <= 1) s->time += h;
    } else {
        fmi3Boolean event, term, early;
        double last;
        st = F3(s, fmi3DoStep)(s->c, s->time, h, true, &event, &term, &early, &last);
        if (st <= 1) s->time = early ? last : s->time + h;
    }
    return st;
}

static void sim_free(Sim* s) {
    if (!s) return;
    if (s->version == 2) {
        F2(s, fmi2Terminate)(s->c);
        F2(s, fmi2FreeInstance)(s->c);
    } else {
        F3(s, fmi3Terminate)(s->c);
        F3(s, fmi3FreeInstance)(s->c);
    }
    sym_forget(s);
    dlclose(s->lib);
    free(s);
}

/* ---- reference CSV ------------------------------------------------------------------------- */

typedef struct {
    int ncol, nrow;
    char names[16][64];
    double* v; /* nrow x ncol */
} Csv;

static bool load_csv(Csv* csv, const char* model, const char* file) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", sourceDir, model, file);
    char* text = read_file(path);
    if (!text) return false;
    memset(csv, 0, sizeof *csv);
    char* line = strtok(text, "\n");
    for (char* p = line; p && csv->ncol < 16;) {
        char* comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        snprintf(csv->names[csv->ncol++], 64, "%.*s", (int)n, p);
        p = comma ? comma + 1 : NULL;
    }
    size_t cap = 1024;
    csv->v = malloc(cap * sizeof(double));
    while ((line = strtok(NULL, "\n"))) {
        char* p = line;
        for (int c = 0; c < csv->ncol; c++) {
            if ((size_t)(csv->nrow + 1) * csv->ncol > cap) csv->v = realloc(csv->v, (cap *= 2) * sizeof(double));
            csv->v[csv->nrow * csv->ncol + c] = strtod(p, &p);
            if (*p == ',') p++;
        }
        csv->nrow++;
    }
    free(text);
    return csv->nrow > 1;
}

/* Runs a fresh simulation through the reference's time points and returns the largest deviation
 * per column relative to max(scale, |reference|). */
static double run_against_csv(const Model* m, const Csv* ref, int version, bool cs, double scale, double dt, const char** worstColumn) {
    Sim* s = sim_new(m, version, cs, false);
    if (!s) return INFINITY;
    if (dt > 0) s->dt = dt;
    double worst = 0;
    if (sim_init(s) > 1) worst = INFINITY;
    for (int r = 0; r < ref->nrow && isfinite(worst); r++) {
        const double* row = &ref->v[r * ref->ncol];
        if (r > 0 && sim_step(s, row[0] - ref->v[(r - 1) * ref->ncol]) > 1) {
            worst = INFINITY;
            break;
        }
        for (int c = 1; c < ref->ncol; c++) {
            double e = fabs(sim_get(s, ref->names[c]) - row[c]) / fmax(scale, fabs(row[c]));
            if (getenv("FMU_CHECK_VERBOSE") && e > 1e-9) printf("        t=%g %s: %.17g vs %.17g\n", row[0], ref->names[c], sim_get(s, ref->names[c]), row[c]);
            if (!(e <= worst)) {
                worst = isnan(e) ? INFINITY : e;
                *worstColumn = ref->names[c];
            }
        }
    }
    sim_free(s);
    return worst;
}

static void check_reference(const Model* m, double tolCs, double tolMe, double scale, double meStep) {
    Csv ref;
    if (!load_csv(&ref, m->name, "reference.csv")) {
        check(false, "%s: reference.csv readable", m->name);
        return;
    }
    for (int v = 2; v <= 3; v++) {
        const char* col = "-";
        double e = run_against_csv(m, &ref, v, true, scale, 0, &col);
        check(e <= tolCs, "%s FMI%d CS vs reference.csv (%d rows): max rel. error %.3g (%s) <= %g", m->name, v, ref.nrow, e, col, tolCs);
        if (tolMe > 0) {
            e = run_against_csv(m, &ref, v, false, scale, meStep, &col);
            check(e <= tolMe, "%s FMI%d ME (RK4 h=%g) vs reference.csv: max rel. error %.3g (%s) <= %g", m->name, v, meStep, e, col, tolMe);
        }
    }
    free(ref.v);
}

/* FMI 2 and FMI 3 share the glue: their CS trajectories over the default experiment must agree. */
static void check_versions_agree(const Model* m, const char* const outputs[], double tol) {
    Sim* a = sim_new(m, 2, true, false);
    Sim* b = sim_new(m, 3, true, false);
    double worst = 0;
    int steps = 0;
    if (!a || !b || sim_init(a) > 1 || sim_init(b) > 1) worst = INFINITY;
    long n = lround((m->stopTime - m->startTime) / m->stepSize);
    for (long i = 1; i <= n && isfinite(worst); i++, steps++) {
        double t = m->startTime + i * m->stepSize;
        if (sim_step(a, t - a->time) > 1 || sim_step(b, t - b->time) > 1) worst = INFINITY;
        for (int k = 0; outputs[k] && isfinite(worst); k++) {
            double x = sim_get(a, outputs[k]), y = sim_get(b, outputs[k]);
            double e = fabs(x - y) / fmax(1.0, fabs(x));
            if (!(e <= worst)) worst = isnan(e) ? INFINITY : e;
        }
    }
    check(worst <= tol, "%s: FMI 2 and FMI 3 CS agree over %d steps (max rel. diff %.3g <= %g)", m->name, steps, worst, tol);
    sim_free(a);
    sim_free(b);
}

/* Get state at mid-run, serialize, continue; restore the deserialized copy, continue again: the
 * two ends must be bit-identical. */
static void check_fmu_state(const Model* m, const char* output) {
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        long n = lround((m->stopTime - m->startTime) / m->stepSize), half = n / 2;
        for (long i = 0; ok && i < half; i++) ok = sim_step(s, m->stepSize) <= 1;
        void* state = NULL;
        void* copy = NULL;
        size_t size = 0;
        unsigned char* bytes = NULL;
        if (ok && v == 2) {
            ok = F2(s, fmi2GetFMUstate)(s->c, &state) == fmi2OK && F2(s, fmi2SerializedFMUstateSize)(s->c, state, &size) == fmi2OK;
            bytes = malloc(size);
            ok = ok && F2(s, fmi2SerializeFMUstate)(s->c, state, (fmi2Byte*)bytes, size) == fmi2OK &&
                 F2(s, fmi2DeSerializeFMUstate)(s->c, (fmi2Byte*)bytes, size, &copy) == fmi2OK;
        } else if (ok) {
            ok = F3(s, fmi3GetFMUState)(s->c, &state) == fmi3OK && F3(s, fmi3SerializedFMUStateSize)(s->c, state, &size) == fmi3OK;
            bytes = malloc(size);
            ok = ok && F3(s, fmi3SerializeFMUState)(s->c, state, bytes, size) == fmi3OK &&
                 F3(s, fmi3DeserializeFMUState)(s->c, bytes, size, &copy) == fmi3OK;
        }
        double tHalf = s ? s->time : 0;
        for (long i = half; ok && i < n; i++) ok = sim_step(s, m->stepSize) <= 1;
        double first = ok ? sim_get(s, output) : NAN;
        if (ok) ok = (v == 2 ? (int)F2(s, fmi2SetFMUstate)(s->c, copy) : (int)F3(s, fmi3SetFMUState)(s->c, copy)) == 0;
        if (ok) s->time = tHalf;
        for (long i = half; ok && i < n; i++) ok = sim_step(s, m->stepSize) <= 1;
        double second = ok ? sim_get(s, output) : NAN;
        if (s && state) v == 2 ? (void)F2(s, fmi2FreeFMUstate)(s->c, &state) : (void)F3(s, fmi3FreeFMUState)(s->c, &state);
        if (s && copy) v == 2 ? (void)F2(s, fmi2FreeFMUstate)(s->c, &copy) : (void)F3(s, fmi3FreeFMUState)(s->c, &copy);
        check(ok && first == second, "%s FMI%d: FMU state get/serialize/deserialize/set replays bit-identically (%s: %.17g vs %.17g, %zu bytes)",
              m->name, v, output, first, second, size);
        free(bytes);
        sim_free(s);
    }
}

/* Calls in the wrong state must fail with Error and say why. */
static void check_state_machine(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        if (!s) {
            check(false, "%s FMI%d: instantiate", m->name, v);
            continue;
        }
        messages = 0;
        lastMessage[0] = 0;
        int st = v == 2 ? (int)F2(s, fmi2DoStep)(s->c, 0.0, 0.1, fmi2True) : 0;
        if (v == 3) {
            fmi3Boolean a, b, c;
            double d;
            st = F3(s, fmi3DoStep)(s->c, 0.0, 0.1, true, &a, &b, &c, &d);
        }
        check(st == 3 && strstr(lastMessage, "not allowed in state Instantiated") && !strchr(lastMessage, '%'),
              "%s FMI%d: doStep before initialization -> Error, logged \"%s\"", m->name, v, lastMessage);
        sim_free(s);

        /* wrong instantiation token */
        Sim raw = {.model = m, .lib = open_binary(m->name, v)};
        void* c = v == 2 ? F2(&raw, fmi2Instantiate)("x", fmi2CoSimulation, "{wrong}", "", &callbacks2, 0, 1)
                         : F3(&raw, fmi3InstantiateCoSimulation)("x", "{wrong}", "", 0, 1, 0, 0, NULL, 0, NULL, logger3, NULL);
        check(c == NULL && strstr(lastMessage, "does not match"), "%s FMI%d: wrong token -> NULL, logged \"%.60s...\"", m->name, v, lastMessage);
        dlclose(raw.lib);
    }
}

/* ---- per-model checks ---------------------------------------------------------------------- */

static void check_tank(const Model* m) {
    Sim* s;
    check_reference(m, 1e-9, 1e-8, 1e-3, 0.01);
    static const char* const outputs[] = {"level", "outflow", NULL};
    check_versions_agree(m, outputs, 1e-12);
    check_fmu_state(m, "level");
    check_state_machine(m);
    /* more state-machine rules */
    s = sim_new(m, 3, false, false); /* ME: after ExitInitializationMode the FMU is in Event Mode */
    bool ok3 = s && sim_init(s) == 0; /* sim_init also leaves Event Mode: go back in */
    double x = 0.2;
    ok3 = ok3 && F3(s, fmi3SetContinuousStates)(s->c, &x, 1) == fmi3OK;
    ok3 = ok3 && F3(s, fmi3EnterEventMode)(s->c) == fmi3OK;
    int st = s ? (int)F3(s, fmi3SetContinuousStates)(s->c, &x, 1) : -1;
    check(ok3 && st == fmi3Error && strstr(lastMessage, "not allowed in state EventMode"),
          "Tank FMI3 ME: SetContinuousStates in Event Mode -> Error, logged \"%s\"", lastMessage);
    st = s ? (int)F3(s, fmi3EnterContinuousTimeMode)(s->c) : -1;
    check(st == fmi3Error && strstr(lastMessage, "state Error"), "Tank FMI3 ME: after an Error every further call is rejected (\"%s\")", lastMessage);
    sim_free(s);
    s = sim_new(m, 2, true, false);
    ok3 = s && sim_init(s) <= 1;
    st = ok3 ? sim_set(s, "level", 1.0) : -1;
    check(st == fmi2Error && strstr(lastMessage, "cannot be set"), "Tank FMI2: setting the output level -> Error, logged \"%s\"", lastMessage);
    sim_free(s);
    s = sim_new(m, 3, true, false);
    fmi3Int32 i32;
    st = s && sim_init(s) <= 1 ? (int)F3(s, fmi3GetInt32)(s->c, (fmi3ValueReference[]){2}, 1, &i32, 1) : -1;
    check(st == fmi3Error && strstr(lastMessage, "is not a Int32"), "Tank FMI3: GetInt32 of a Float64 -> Error, logged \"%s\"", lastMessage);
    sim_free(s);
    s = sim_new(m, 2, true, false);
    st = s ? (int)F2(s, fmi2SetDebugLogging)(s->c, fmi2True, 1, (fmi2String[]){"logNothing"}) : -1;
    check(st == fmi2Error && strstr(lastMessage, "unknown log category"), "Tank FMI2: SetDebugLogging with an unknown category -> Error");
    sim_free(s);
    /* inputs act immediately: a step in valve changes the inflow seen at the next Get */
    s = sim_new(m, 3, true, false);
    bool ok = s && sim_init(s) <= 1 && sim_set(s, "valve", 1.0) == 0;
    double qin = ok ? sim_get(s, "inflow") : NAN;
    check(ok && qin == 0.1, "Tank FMI3: inflow after setting valve=1 is maxInflow (%g)", qin);
    sim_free(s);
}

static void check_bouncing_ball(const Model* m) {
    check_reference(m, 1e-7, 1e-7, 1.0, 1e-3); /* ~1e-10 s event location per impact accumulates */
    static const char* const outputs[] = {"h", "v", NULL};
    check_versions_agree(m, outputs, 1e-12);
    check_fmu_state(m, "h");
    check_state_machine(m);
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        for (int i = 0; ok && i < 300; i++) ok = sim_step(s, 0.01) <= 1;
        int impacts = ok ? sim_get_int(s, "impacts") : -1, resting = ok ? sim_get_bool(s, "resting") : -1;
        check(ok && impacts == 18 && resting == 1, "BouncingBall FMI%d: at t=3 after 18 impacts and resting (Int32 impacts=%d, Boolean resting=%d)",
              v, impacts, resting);
        sim_free(s);
    }
    /* logging: category logEvents on request (FMI 2: format + variadic arguments); FMI 3 with
     * loggingOn=false never calls the logger */
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && (v == 2 ? (int)F2(s, fmi2SetDebugLogging)(s->c, fmi2True, 1, (fmi2String[]){"logEvents"})
                               : (int)F3(s, fmi3SetDebugLogging)(s->c, true, 1, (fmi3String[]){"logEvents"})) == 0;
        messages = 0;
        ok = ok && sim_init(s) <= 1 && sim_step(s, 1.0) <= 1;
        check(ok && messages >= 2 && strstr(lastMessage, "impact 1 at t=0.451523") && !strchr(lastMessage, '%'),
              "BouncingBall FMI%d: SetDebugLogging(logEvents) -> %d messages, last \"%s\"", v, messages, lastMessage);
        sim_free(s);
    }
    {
        Sim raw = {.model = m, .lib = open_binary(m->name, 3)};
        void* c = F3(&raw, fmi3InstantiateCoSimulation)("quiet", m->token, "", false, false, false, false, NULL, 0, NULL, logger3, NULL);
        messages = 0;
        int st = c ? (int)F3(&raw, fmi3ExitInitializationMode)(c) : -1; /* wrong state: Error */
        check(c && st == fmi3Error && messages == 0, "BouncingBall FMI3: loggingOn=false -> no logMessage calls, even for an Error");
        if (c) F3(&raw, fmi3FreeInstance)(c);
        sym_forget(&raw);
        dlclose(raw.lib);
    }
    /* FMI 3 early return: one big step returns at the first impact t1 = sqrt(2 h0/g) */
    Sim* s = sim_new(m, 3, true, true);
    bool ok = s && sim_init(s) <= 1 && sim_step(s, 1.0) <= 1;
    double t1 = sqrt(2.0 / 9.81);
    check(ok && fabs(s->time - t1) < 1e-9 && sim_get_int(s, "impacts") == 1,
          "BouncingBall FMI3 earlyReturnAllowed: doStep(0, 1) returns early at t=%.12f (analytic %.12f)", s ? s->time : NAN, t1);
    ok = ok && sim_step(s, 2.0 - s->time) <= 1; /* continue from lastSuccessfulTime */
    check(ok && fabs(s->time - 2.4 * t1) < 1e-9,
          "BouncingBall FMI3 earlyReturnAllowed: next doStep returns at the second impact t=%.12f", s ? s->time : NAN);
    sim_free(s);
}

static void check_pi_controller(const Model* m) {
    check_reference(m, 1e-12, 1e-12, 1.0, 0.01);
    static const char* const outputs[] = {"u", NULL};
    check_versions_agree(m, outputs, 0);
    check_fmu_state(m, "u");
    check_state_machine(m);
    for (int v = 2; v <= 3; v++) { /* anti-windup: the frozen integral lets u leave the limit at once */
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        for (int i = 0; ok && i < 19; i++) ok = sim_step(s, 0.1) <= 1;
        ok = ok && sim_set(s, "measurement", 1.6) == 0 && sim_step(s, 0.1) <= 1;
        double u = ok ? sim_get(s, "u") : NAN;
        check(ok && fabs(u - (-0.6 + 0.5 * 0.84)) < 1e-12, "PIController FMI%d: error flips after t=1.9 -> u(2.0) = -0.6 + 0.5*0.84 = %g", v, u);
        sim_free(s);
    }
}

static void check_pump(const Model* m) {
    check_reference(m, 1e-8, 1e-8, 1.0, 1e-3);
    static const char* const outputs[] = {"speed", "current", "flowRate", "pressure", "motorTemperature", NULL};
    check_versions_agree(m, outputs, 1e-12);
    check_fmu_state(m, "motorTemperature");
    check_state_machine(m);
    Sim* s = sim_new(m, 3, true, false);
    bool ok = s && sim_init(s) <= 1;
    for (int i = 0; ok && i < 1200; i++) ok = sim_step(s, 1.0) <= 1;
    double i0 = sim_get(s, "current"), q0 = sim_get(s, "flowRate"), p0 = sim_get(s, "pressure"), T = sim_get(s, "motorTemperature");
    check(ok && i0 > 1.8 && i0 < 2.6 && q0 > 115 && q0 < 130 && p0 > 0.4 && p0 < 1.0 && T > 80 && T < 95,
          "Pump FMI3: steady state like the SKAB testbed: %.3f A, %.1f l/min, %.3f bar, %.1f degC", i0, q0, p0, T);
    ok = ok && sim_set(s, "voltage", 0.0) == 0;
    double iOff = sim_get(s, "current");
    check(ok && iOff < 0, "Pump FMI3: current follows the voltage input at once (direct feedthrough): %.3f A at 0 V", iOff);
    sim_free(s);
    s = sim_new(m, 2, true, false);
    ok = s && sim_init(s) <= 1;
    for (int i = 0; ok && i < 30; i++) ok = sim_step(s, 1.0) <= 1;
    ok = ok && sim_set(s, "valve", 0.2) == 0;
    for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 1.0) <= 1;
    double q1 = sim_get(s, "flowRate"), p1 = sim_get(s, "pressure");
    check(ok && q1 < 60 && p1 > 1.2, "Pump FMI2: throttling the valve to 0.2 lowers the flow to %.1f l/min and raises the pressure to %.3f bar", q1, p1);
    sim_free(s);
}

static void check_mass_spring_damper(const Model* m) {
    check_reference(m, 1e-8, 1e-8, 1.0, 1e-3);
    static const char* const outputs[] = {"x1", "v1", "x2", "v2", NULL};
    check_versions_agree(m, outputs, 1e-12);
    check_fmu_state(m, "x2");
    check_state_machine(m);
}

/* The split halves coupled by a Gauss-Seidel master with step h (MsdMass1 has no feedthrough, so
 * its outputs are set into MsdMass2 first; MsdMass2's F then already reflects them). Returns the
 * largest absolute deviation from the monolithic reference. */
static double run_msd_coupled(const Model* m1, const Model* m2, const Csv* ref, int v, double h, double* f0) {
    Sim* a = sim_new(m1, v, true, false);
    Sim* b = sim_new(m2, v, true, false);
    bool ok = a && b && sim_init(a) <= 1 && sim_init(b) <= 1;
    double worst = 0;
    long n = 0;
    for (int r = 0; ok && r < ref->nrow; r++) {
        const double* row = &ref->v[r * ref->ncol];
        while (ok && n * h < row[0] - 1e-9) {
            ok = sim_set(b, "x1", sim_get(a, "x1")) == 0 && sim_set(b, "v1", sim_get(a, "v1")) == 0;
            ok = ok && sim_set(a, "F", sim_get(b, "F")) == 0;
            a->time = b->time = n * h; /* communication points t0 + n*h, not accumulated */
            ok = ok && sim_step(a, h) <= 1 && sim_step(b, h) <= 1;
            n++;
        }
        if (r == 0) *f0 = sim_get(b, "F");
        double e = fmax(fmax(fabs(sim_get(a, "x1") - row[1]), fabs(sim_get(a, "v1") - row[2])),
                        fmax(fabs(sim_get(b, "x2") - row[3]), fabs(sim_get(b, "v2") - row[4])));
        worst = fmax(worst, e);
    }
    sim_free(a);
    sim_free(b);
    return ok ? worst : INFINITY;
}

/* The split halves against the monolithic solution. */
static void check_msd_coupled(const Model* m) {
    (void)m;
    Model m1, m2;
    Csv ref;
    if (!load_model(&m1, "MsdMass1") || !load_model(&m2, "MsdMass2") || !load_csv(&ref, "MassSpringDamper", "reference.csv")) {
        check(false, "MsdMass1 + MsdMass2: models and ../MassSpringDamper/reference.csv readable");
        return;
    }
    for (int v = 2; v <= 3; v++) {
        double err[3] = {NAN, NAN, NAN}, f0 = NAN;
        const double steps[3] = {1e-3, 5e-4, 1e-4};
        for (int k = 0; k < 3; k++) err[k] = run_msd_coupled(&m1, &m2, &ref, v, steps[k], &f0);
        check(fabs(f0 - 5.0) < 1e-12, "MsdMass2 FMI%d: initial coupling force c2*(x2-x1) = %g N", v, f0);
        check(err[2] < 1e-3 && err[0] / err[1] > 1.7 && err[0] / err[1] < 2.3,
              "MsdMass1 + MsdMass2 FMI%d: Gauss-Seidel vs monolithic reference, max abs error %.3g (h=1e-3), %.3g (h=5e-4), %.3g (h=1e-4): first order",
              v, err[0], err[1], err[2]);
    }
    free(ref.v);
    free(m1.xml);
    free(m2.xml);
}

static void check_fault_error(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        int steps = 0, st = 0;
        while (ok && (st = sim_step(s, 0.1)) <= 1) steps++;
        double x = s ? sim_get(s, "x") : NAN;
        check(st == 3 && steps == 5 && strstr(lastMessage, "errorTime") && fabs(x - 0.5) < 1e-12,
              "FaultError FMI%d CS: 5 steps, then Error at t=0.5 (x=%g), logged \"%s\"", v, x, lastMessage);
        sim_free(s);
        s = sim_new(m, v, false, false);
        ok = s && sim_init(s) <= 1;
        st = ok ? me_advance(s, 1.0) : -1;
        check(st == 3 && strstr(lastMessage, "SetTime"), "FaultError FMI%d ME: SetTime past errorTime -> Error, logged \"%s\"", v, lastMessage);
        sim_free(s);
    }
}

static void check_fault_crash(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            Sim* s = sim_new(m, v, true, false);
            int steps = 0;
            if (s && sim_init(s) <= 1)
                while (sim_step(s, 0.1) <= 1) steps++;
            _exit(steps); /* only reached when it did not crash */
        }
        int status = 0;
        waitpid(pid, &status, 0);
        check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "FaultCrash FMI%d: the process dies of SIGSEGV (%s %d)", v,
              WIFSIGNALED(status) ? "signal" : "exit code", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        /* in-process with crashStep = 1000: the 10 default steps pass and are counted */
        Sim* s = sim_new(m, v, true, false);
        int vr = vr_of(m, "crashStep");
        bool ok = s && vr >= 0;
        if (ok && v == 2) ok = F2(s, fmi2SetInteger)(s->c, (fmi2ValueReference[]){(fmi2ValueReference)vr}, 1, (fmi2Integer[]){1000}) == fmi2OK;
        if (ok && v == 3) ok = F3(s, fmi3SetInt32)(s->c, (fmi3ValueReference[]){(fmi3ValueReference)vr}, 1, (fmi3Int32[]){1000}, 1) == fmi3OK;
        ok = ok && sim_init(s) <= 1;
        for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 0.1) <= 1;
        check(ok && sim_get_int(s, "steps") == 10, "FaultCrash FMI%d: with crashStep=1000 (Int32 parameter) 10 steps pass, steps=%d", v,
              s ? sim_get_int(s, "steps") : -1);
        sim_free(s);
    }
}

static void check_fault_hang(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            Sim* s = sim_new(m, v, true, false);
            int steps = 0;
            if (s && sim_init(s) <= 1)
                while (steps < 10 && sim_step(s, 0.1) <= 1) steps++;
            _exit(steps); /* only reached when it did not hang */
        }
        /* The child hangs in the sixth step (t = 0.5); it must still be there after the sleep. */
        struct timespec wait = {0, 300 * 1000 * 1000};
        nanosleep(&wait, NULL);
        int status = 0;
        bool alive = waitpid(pid, &status, WNOHANG) == 0;
        kill(pid, SIGKILL);
        if (alive) waitpid(pid, &status, 0);
        check(alive, "FaultHang FMI%d: the step at t = hangTime does not return (child alive after 0.3 s)", v);
        /* in-process with hangTime = 100: ten steps pass, x = 1 */
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_set(s, "hangTime", 100) == 0 && sim_init(s) <= 1;
        for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 0.1) <= 1;
        check(ok && fabs(sim_get(s, "x") - 1.0) < 1e-12, "FaultHang FMI%d: with hangTime=100 ten steps pass, x=%g", v, s ? sim_get(s, "x") : NAN);
        sim_free(s);
    }
}

static void check_fault_discard(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        int steps = 0, st = 0;
        while (ok && steps < 20 && (st = sim_step(s, 0.1)) <= 1) steps++;
        double last = NAN;
        if (v == 2 && s) F2(s, fmi2GetRealStatus)(s->c, fmi2LastSuccessfulTime, &last);
        if (v == 3 && s) {
            fmi3Boolean a, b, c;
            st = F3(s, fmi3DoStep)(s->c, s->time, 0.1, true, &a, &b, &c, &last);
        }
        check(st == 2 && steps == 4 && fabs(last - 0.4) < 1e-12 && fabs(sim_get(s, "x") - 0.4) < 1e-12,
              "FaultDiscard FMI%d: step [0.4, 0.5] -> Discard, lastSuccessfulTime=%g, x stays 0.4", v, last);
        sim_free(s);
        /* discardMaxStep = 0.01: a master that retries with smaller steps gets past discardTime */
        s = sim_new(m, v, true, false);
        ok = s && sim_set(s, "discardMaxStep", 0.01) == 0 && sim_init(s) <= 1;
        int discards = 0;
        while (ok && s->time < 1.0 - 1e-9) {
            double h = fmin(0.1, 1.0 - s->time);
            st = sim_step(s, h);
            if (st == 2) {
                discards++;
                for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 0.01) <= 1;
            } else ok = st <= 1;
        }
        check(ok && discards == 2 && fabs(sim_get(s, "x") - 1.0) < 1e-9,
              "FaultDiscard FMI%d: with discardMaxStep=0.01 a retrying master reaches t=1 (%d discards)", v, discards);
        sim_free(s);
    }
}

static void check_no_state(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        void* lib = open_binary(m->name, v);
        bool absent = lib && !dlsym(lib, v == 2 ? "fmi2GetFMUstate" : "fmi3GetFMUState") &&
                      !dlsym(lib, v == 2 ? "fmi2SerializeFMUstate" : "fmi3SerializeFMUState") &&
                      dlsym(lib, v == 2 ? "fmi2DoStep" : "fmi3DoStep");
        check(absent, "NoState FMI%d: binary exports doStep but no FMU state functions", v);
        if (lib) dlclose(lib);
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 0.1) <= 1;
        check(ok && fabs(sim_get(s, "x") - 1.0) < 1e-12, "NoState FMI%d: runs, x(1) = 1", v);
        sim_free(s);
    }
    check(strstr(m->xml, "canGetAndSetFMUState=\"false\"") && strstr(m->xml, "canSerializeFMUState=\"false\""),
          "NoState: modelDescription.xml says canGetAndSetFMUState=false");
}

static void check_malformed(const Model* m) {
    for (int v = 2; v <= 3; v++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/fmi%d/%s/modelDescription.xml", stageDir, v, m->name);
        char* xml = read_file(path);
        size_t n = xml ? strlen(xml) : 0;
        check(xml && !strstr(xml, "</fmiModelDescription>") && strstr(xml, "<ModelVariables>") && n > 8 &&
                  strcmp(xml + n - 8, "valueRef") == 0,
              "Malformed FMI%d: modelDescription.xml ends mid-element (\"...%s\")", v, xml && n > 20 ? xml + n - 20 : "");
        free(xml);
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        for (int i = 0; ok && i < 10; i++) ok = sim_step(s, 0.1) <= 1;
        double x = NAN;
        if (ok && v == 2) F2(s, fmi2GetReal)(s->c, (fmi2ValueReference[]){1}, 1, &x);
        if (ok && v == 3) F3(s, fmi3GetFloat64)(s->c, (fmi3ValueReference[]){1}, 1, &x, 1);
        check(ok && fabs(x - 1.0) < 1e-12, "Malformed FMI%d: the binary itself is valid, x(1) = %g", v, x);
        sim_free(s);
    }
}

static void check_robertson(const Model* m) {
    static const char* const outputs[] = {"y1", "y2", "y3", NULL};
    check_versions_agree(m, outputs, 1e-12);
    check_fmu_state(m, "y2");
    for (int v = 2; v <= 3; v++)
        for (int cs = 1; cs >= 0; cs--) {
            Sim* s = sim_new(m, v, cs, false);
            bool ok = s && sim_init(s) <= 1;
            if (s) s->dt = 2e-4;
            for (int i = 0; ok && i < 40; i++) ok = sim_step(s, 1.0) <= 1;
            double y1 = sim_get(s, "y1"), y2 = sim_get(s, "y2"), y3 = sim_get(s, "y3");
            /* literature values at t = 40 (Hairer & Wanner): 0.7158, 9.185e-6, 0.2842 */
            check(ok && fabs(y1 - 0.7158) < 1e-4 && fabs(y2 - 9.185e-6) < 1e-9 && fabs(y3 - 0.2842) < 1e-4 && fabs(y1 + y2 + y3 - 1) < 1e-12,
                  "Robertson FMI%d %s: y(40) = %.7f, %.7e, %.7f matches 0.7158, 9.185e-6, 0.2842 to the digits given",
                  v, cs ? "CS" : "ME (RK4 h=2e-4)", y1, y2, y3);
            sim_free(s);
        }
}

/* DiodeBridge: the glue's CS path (RK4 h=1e-5, bisection of the diode switchings) against the
 * piecewise-exact reference of reference.py; ME is CoSim's to integrate (its own tests). */
static void check_diode_bridge(const Model* m) {
    check_reference(m, 1e-9, 0, 1.0, 0); /* measured 9.2e-11 */
    static const char* const outputs[] = {"vC", "iOut", "iS", NULL};
    check_versions_agree(m, outputs, 1e-12);
}

/* LevelMonitor: an excursion shorter than the delay raises nothing; a failed sensor (reading 0 from t = 3.05,
 * then 2 above the high limit) is bad from the sample at 3.1 and raises the alarm at the sample 3.1 + delay = 5.1, latched. */
static void check_level_monitor(const Model* m) {
    static const char* const outputs[] = {"alarmTime", NULL};
    check_versions_agree(m, outputs, 0);
    for (int v = 2; v <= 3; v++) {
        Sim* s = sim_new(m, v, true, false);
        bool ok = s && sim_init(s) <= 1;
        bool early = false;
        for (int i = 0; ok && i < 60; i++) {
            double t = 0.05 + 0.1 * i; /* set between samples */
            double level = t > 1.0 && t < 2.5 ? 0.1 : t > 3.0 && t < 4.0 ? 0.0 : t >= 4.0 ? 2.0 : 1.0;
            ok = sim_set(s, "level", level) == 0 && sim_step(s, 0.1) <= 1;
            if (ok && s->time < 5.1 - 1e-9) early |= sim_get_bool(s, "alarm") != 0;
        }
        check(ok && !early && sim_get_bool(s, "alarm") == 1 && fabs(sim_get(s, "alarmTime") - 5.1) < 1e-9,
              "LevelMonitor FMI%d: 1.5 s low excursion (delay 2 s) raises nothing; sensor at 0 from t=3.05 -> alarm at t=%g (5.1), latched",
              v, s ? sim_get(s, "alarmTime") : NAN);
        sim_free(s);
    }
}

typedef struct {
    const char* name;
    void (*run)(const Model*);
} ModelCheck;

static const ModelCheck modelChecks[] = {
    {"Tank", check_tank},
    {"BouncingBall", check_bouncing_ball},
    {"PIController", check_pi_controller},
    {"Pump", check_pump},
    {"MassSpringDamper", check_mass_spring_damper},
    {"MsdMass2", check_msd_coupled},
    {"FaultError", check_fault_error},
    {"FaultCrash", check_fault_crash},
    {"FaultDiscard", check_fault_discard},
    {"FaultHang", check_fault_hang},
    {"NoState", check_no_state},
    {"Malformed", check_malformed},
    {"Robertson", check_robertson},
    {"DiodeBridge", check_diode_bridge},
    {"LevelMonitor", check_level_monitor},
};

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <stage folder> <fmus source folder> [Model ...]\n", argv[0]);
        return 2;
    }
    stageDir = argv[1];
    sourceDir = argv[2];
    for (size_t i = 0; i < sizeof modelChecks / sizeof modelChecks[0]; i++) {
        bool selected = argc == 3;
        for (int a = 3; a < argc; a++) selected |= strcmp(argv[a], modelChecks[i].name) == 0;
        if (!selected) continue;
        Model m;
        printf("%s\n", modelChecks[i].name);
        if (!load_model(&m, modelChecks[i].name)) {
            check(false, "%s: generated modelDescription.xml readable", modelChecks[i].name);
            continue;
        }
        modelChecks[i].run(&m);
        free(m.xml);
    }
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
