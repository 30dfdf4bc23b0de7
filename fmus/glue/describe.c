/*
 * describe.c - writes a model's modelDescription.xml (FMI 2.0 or 3.0) from its config.h, so that
 * the XML and the binary can never disagree about value references, types, causalities, start
 * values, states or event indicators. Built once per model; run by CMake at build time:
 *
 *     describe_<Model> 2|3 <output file>
 *
 * It also checks the model table (exits non-zero on any inconsistency, failing the build).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const VariableInfo* V = MODEL_VARIABLES;

#if N_EVENT_INDICATORS > 0
static const unsigned eventIndicators[N_EVENT_INDICATORS] = EVENT_INDICATOR_VRS;
#endif

static const UnitInfo units[] = MODEL_UNITS;

/* ---- output buffer ---------------------------------------------------------------------------- */

static char* out;
static size_t outLen, outCap;

static void emit(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char* fmt, ...) {
    va_list args;
    for (;;) {
        va_start(args, fmt);
        int n = vsnprintf(out + outLen, outCap - outLen, fmt, args);
        va_end(args);
        if (n < 0) exit(2);
        if (outLen + (size_t)n < outCap) {
            outLen += (size_t)n;
            return;
        }
        outCap = 2 * (outCap + (size_t)n) + 1024;
        out = realloc(out, outCap);
        if (!out) exit(2);
    }
}

static void die(const char* fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "describe %s: ", MODEL_NAME);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

/* XML attribute text (escapes & < > "). Returns a static buffer; use once per emit() argument. */
static const char* esc(const char* s, int slot) {
    static char buf[4][1024];
    char* b = buf[slot];
    size_t n = 0;
    for (; *s && n < sizeof buf[0] - 8; s++) {
        const char* r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (r) { strcpy(b + n, r); n += strlen(r); }
        else b[n++] = *s;
    }
    b[n] = 0;
    return b;
}

/* Shortest decimal text that reads back as exactly the same double. */
static const char* num(double x, int slot) {
    static char buf[4][40];
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf[slot], sizeof buf[slot], "%.0f", x);
        return buf[slot];
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf[slot], sizeof buf[slot], "%.*g", p, x);
        if (strtod(buf[slot], NULL) == x) break;
    }
    return buf[slot];
}

/* ---- model structure ------------------------------------------------------------------------- */

static bool is_state(unsigned vr) {
    for (unsigned i = 1; i < N_VARIABLES; i++)
        if (V[i].derivativeOf == vr) return true;
    return false;
}

static bool is_derivative(unsigned vr) { return V[vr].derivativeOf != 0; }

static bool is_initial_unknown(unsigned vr) {
    bool calculated = V[vr].initial == I_CALCULATED || V[vr].initial == I_APPROX;
    return calculated && (V[vr].causality == C_OUTPUT || is_state(vr) || is_derivative(vr));
}

static const char* causality_name(Causality c) {
    static const char* const n[] = {"independent", "parameter", "input", "output", "local"};
    return n[c];
}
static const char* variability_name(Variability v) {
    static const char* const n[] = {"constant", "fixed", "tunable", "discrete", "continuous"};
    return n[v];
}
static const char* initial_name(Initial i) {
    static const char* const n[] = {NULL, "exact", "approx", "calculated"};
    return n[i];
}

static void check_table(void) {
    if (V[0].causality != C_INDEPENDENT || V[0].type != T_FLOAT64 || strcmp(V[0].name, "time") != 0)
        die("value reference 0 must be the Float64 independent variable 'time'");
    int nx = 0;
    for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
        const VariableInfo* v = &V[vr];
        if (!v->name) die("value reference %u has no entry", vr);
        if (vr > 0 && v->causality == C_INDEPENDENT) die("%s: only 'time' may be independent", v->name);
        if (v->type != T_FLOAT64 && v->variability == V_CONTINUOUS) die("%s: only Float64 can be continuous", v->name);
        if (v->causality == C_PARAMETER && v->variability != V_FIXED && v->variability != V_TUNABLE)
            die("%s: parameters are fixed or tunable", v->name);
        if ((v->causality == C_OUTPUT || v->causality == C_LOCAL) && v->initial != I_CALCULATED)
            die("%s: outputs and locals are computed by the model (initial=calculated)", v->name);
        if (v->unit) {
            bool found = false;
            for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) found |= strcmp(units[u].name, v->unit) == 0;
            if (!found) die("%s: unit '%s' is not in MODEL_UNITS", v->name, v->unit);
        }
        if (v->derivativeOf) {
            nx++;
            unsigned s = v->derivativeOf;
            if (s >= N_VARIABLES || V[s].type != T_FLOAT64 || V[s].variability != V_CONTINUOUS || v->type != T_FLOAT64)
                die("%s: derivativeOf must name a continuous Float64 variable", v->name);
        }
        if (v->dependencies) {
            if (v->causality != C_OUTPUT && !v->derivativeOf) die("%s: dependencies are only given for outputs and derivatives", v->name);
            const char* p = v->dependencies;
            char* end;
            for (unsigned long d = strtoul(p, &end, 10); end != p; p = end, d = strtoul(p, &end, 10)) {
                if (d >= N_VARIABLES || !(V[d].causality == C_INPUT || V[d].causality == C_INDEPENDENT || is_state((unsigned)d)))
                    die("%s: dependency %lu is not an input, a state or time", v->name, d);
            }
        }
    }
    if (nx != N_STATES) die("N_STATES=%d but %d variables are derivatives", N_STATES, nx);
#if N_EVENT_INDICATORS > 0
    for (int i = 0; i < N_EVENT_INDICATORS; i++)
        if (eventIndicators[i] >= N_VARIABLES || V[eventIndicators[i]].type != T_FLOAT64 || V[eventIndicators[i]].variability != V_CONTINUOUS)
            die("event indicator %u must be a continuous Float64 variable", eventIndicators[i]);
#endif
}

/* FMI 2 references variables by 1-based index in <ModelVariables>; here index = vr + 1. */
static void emit_dependencies(const char* deps, int fmiVersion) {
    if (!deps) return;
    emit(" dependencies=\"");
    const char* p = deps;
    char* end;
    bool first = true;
    for (unsigned long d = strtoul(p, &end, 10); end != p; p = end, d = strtoul(p, &end, 10)) {
        emit("%s%lu", first ? "" : " ", fmiVersion == 2 ? d + 1 : d);
        first = false;
    }
    emit("\"");
}

/* ---- the document ---------------------------------------------------------------------------- */

static const char* const logCategories[][2] = {
    {"logEvents", "Time and state events, event iterations, early returns"},
    {"logStatusWarning", "Messages of calls that return Warning"},
    {"logStatusDiscard", "Messages of calls that return Discard"},
    {"logStatusError", "Messages of calls that return Error"},
    {"logStatusFatal", "Messages of calls that return Fatal"},
    {"logCalls", "FMI function calls"},
};

static const char* tf(bool b) { return b ? "true" : "false"; }

static void emit_variable_attributes(unsigned vr, int fmiVersion) {
    const VariableInfo* v = &V[vr];
    emit(" name=\"%s\" valueReference=\"%u\"", esc(v->name, 0), vr);
    if (v->description) emit(" description=\"%s\"", esc(v->description, 0));
    emit(" causality=\"%s\" variability=\"%s\"", causality_name(v->causality), variability_name(v->variability));
    if (initial_name(v->initial)) emit(" initial=\"%s\"", initial_name(v->initial));
    (void)fmiVersion;
}

static void emit_type_attributes(unsigned vr, int fmiVersion) {
    const VariableInfo* v = &V[vr];
    bool hasStart = v->causality == C_PARAMETER || v->causality == C_INPUT || v->initial == I_EXACT || v->initial == I_APPROX;
    if (v->unit) emit(" unit=\"%s\"", esc(v->unit, 0));
    if (v->min) emit(" min=\"%s\"", v->min);
    if (v->max) emit(" max=\"%s\"", v->max);
    if (v->nominal > 0) emit(" nominal=\"%s\"", num(v->nominal, 0));
    if (hasStart) {
        if (v->type == T_FLOAT64) emit(" start=\"%s\"", num(v->start, 0));
        else if (v->type == T_INT32) emit(" start=\"%d\"", (int)v->start);
        else emit(" start=\"%s\"", tf(v->start != 0.0));
    }
    if (v->derivativeOf) emit(" derivative=\"%u\"", fmiVersion == 2 ? v->derivativeOf + 1 : v->derivativeOf);
    if (is_state(vr) && MODEL_STATE_REINIT(vr)) emit(" reinit=\"true\"");
}

static void describe(int fmiVersion) {
    bool state = MODEL_HAS_FMU_STATE;
    emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    emit("<!-- Generated by fmus/glue/describe.c from fmus/%s/config.h. Do not edit. -->\n", MODEL_NAME);
    emit("<fmiModelDescription\n  fmiVersion=\"%s\"\n  modelName=\"%s\"\n", fmiVersion == 2 ? "2.0" : "3.0", MODEL_NAME);
    emit("  %s=\"%s\"\n", fmiVersion == 2 ? "guid" : "instantiationToken", INSTANTIATION_TOKEN);
    emit("  description=\"%s\"\n  generationTool=\"CoSim fmus (glue/describe.c)\"\n  variableNamingConvention=\"structured\"", esc(MODEL_DESCRIPTION, 0));
    if (fmiVersion == 2) emit("\n  numberOfEventIndicators=\"%d\"", N_EVENT_INDICATORS);
    emit(">\n\n");

    if (fmiVersion == 2) {
        emit("  <ModelExchange modelIdentifier=\"%s\" needsExecutionTool=\"false\" completedIntegratorStepNotNeeded=\"%s\""
             " canBeInstantiatedOnlyOncePerProcess=\"false\" canNotUseMemoryManagementFunctions=\"false\""
             " canGetAndSetFMUstate=\"%s\" canSerializeFMUstate=\"%s\" providesDirectionalDerivative=\"%s\"/>\n",
             MODEL_NAME, tf(!MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP), tf(state), tf(state), tf(MODEL_HAS_PARTIALS));
        emit("  <CoSimulation modelIdentifier=\"%s\" needsExecutionTool=\"false\" canHandleVariableCommunicationStepSize=\"true\""
             " canInterpolateInputs=\"false\" maxOutputDerivativeOrder=\"0\" canRunAsynchronuously=\"false\""
             " canBeInstantiatedOnlyOncePerProcess=\"false\" canNotUseMemoryManagementFunctions=\"false\""
             " canGetAndSetFMUstate=\"%s\" canSerializeFMUstate=\"%s\" providesDirectionalDerivative=\"false\"/>\n\n",
             MODEL_NAME, tf(state), tf(state));
    } else {
        emit("  <ModelExchange modelIdentifier=\"%s\" needsExecutionTool=\"false\" canBeInstantiatedOnlyOncePerProcess=\"false\""
             " canGetAndSetFMUState=\"%s\" canSerializeFMUState=\"%s\" providesDirectionalDerivatives=\"%s\""
             " providesAdjointDerivatives=\"false\" providesPerElementDependencies=\"false\""
             " needsCompletedIntegratorStep=\"%s\" providesEvaluateDiscreteStates=\"false\"/>\n",
             MODEL_NAME, tf(state), tf(state), tf(MODEL_HAS_PARTIALS), tf(MODEL_NEEDS_COMPLETED_INTEGRATOR_STEP));
        emit("  <CoSimulation modelIdentifier=\"%s\" needsExecutionTool=\"false\" canBeInstantiatedOnlyOncePerProcess=\"false\""
             " canGetAndSetFMUState=\"%s\" canSerializeFMUState=\"%s\" providesDirectionalDerivatives=\"%s\""
             " providesAdjointDerivatives=\"false\" providesPerElementDependencies=\"false\""
             " canHandleVariableCommunicationStepSize=\"true\" fixedInternalStepSize=\"%s\" maxOutputDerivativeOrder=\"0\""
             " providesIntermediateUpdate=\"false\" mightReturnEarlyFromDoStep=\"true\" canReturnEarlyAfterIntermediateUpdate=\"false\""
             " hasEventMode=\"false\" providesEvaluateDiscreteStates=\"false\"/>\n\n",
             MODEL_NAME, tf(state), tf(state), tf(false), num(SOLVER_STEP, 0));
    }

    emit("  <UnitDefinitions>\n");
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (units[u].baseUnit) emit("    <Unit name=\"%s\"><BaseUnit %s/></Unit>\n", esc(units[u].name, 0), units[u].baseUnit);
        else emit("    <Unit name=\"%s\"/>\n", esc(units[u].name, 0));
    emit("  </UnitDefinitions>\n\n  <LogCategories>\n");
    for (size_t c = 0; c < sizeof logCategories / sizeof logCategories[0]; c++)
        emit("    <Category name=\"%s\" description=\"%s\"/>\n", logCategories[c][0], logCategories[c][1]);
    emit("  </LogCategories>\n\n");
    emit("  <DefaultExperiment startTime=\"%s\" stopTime=\"%s\" tolerance=\"%s\" stepSize=\"%s\"/>\n\n",
         num(DEFAULT_START_TIME, 0), num(DEFAULT_STOP_TIME, 1), num(DEFAULT_TOLERANCE, 2), num(DEFAULT_STEP_SIZE, 3));

    emit("  <ModelVariables>\n");
    for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
        const VariableInfo* v = &V[vr];
        if (fmiVersion == 2) {
            static const char* const t2[] = {"Real", "Integer", "Boolean"};
            emit("    <!-- index %u -->\n    <ScalarVariable", vr + 1);
            emit_variable_attributes(vr, 2);
            emit(">\n      <%s", t2[v->type]);
            emit_type_attributes(vr, 2);
            emit("/>\n    </ScalarVariable>\n");
        } else {
            static const char* const t3[] = {"Float64", "Int32", "Boolean"};
            emit("    <%s", t3[v->type]);
            emit_variable_attributes(vr, 3);
            emit_type_attributes(vr, 3);
            emit("/>\n");
        }
    }
    emit("  </ModelVariables>\n\n  <ModelStructure>\n");

    bool any;
    if (fmiVersion == 2) {
        any = false;
        for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
            if (V[vr].causality != C_OUTPUT) continue;
            if (!any) emit("    <Outputs>\n");
            any = true;
            emit("      <Unknown index=\"%u\"", vr + 1);
            emit_dependencies(V[vr].dependencies, 2);
            emit("/>\n");
        }
        if (any) emit("    </Outputs>\n");
        any = false;
        for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
            if (!is_derivative(vr)) continue;
            if (!any) emit("    <Derivatives>\n");
            any = true;
            emit("      <Unknown index=\"%u\"", vr + 1);
            emit_dependencies(V[vr].dependencies, 2);
            emit("/>\n");
        }
        if (any) emit("    </Derivatives>\n");
        any = false;
        for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
            if (!is_initial_unknown(vr)) continue;
            if (!any) emit("    <InitialUnknowns>\n");
            any = true;
            emit("      <Unknown index=\"%u\"/>\n", vr + 1);
        }
        if (any) emit("    </InitialUnknowns>\n");
    } else {
        for (unsigned vr = 0; vr < N_VARIABLES; vr++) {
            if (V[vr].causality != C_OUTPUT) continue;
            emit("    <Output valueReference=\"%u\"", vr);
            emit_dependencies(V[vr].dependencies, 3);
            emit("/>\n");
        }
        for (unsigned vr = 0; vr < N_VARIABLES; vr++)
            if (is_derivative(vr)) {
                emit("    <ContinuousStateDerivative valueReference=\"%u\"", vr);
                emit_dependencies(V[vr].dependencies, 3);
                emit("/>\n");
            }
        for (unsigned vr = 0; vr < N_VARIABLES; vr++)
            if (is_initial_unknown(vr)) emit("    <InitialUnknown valueReference=\"%u\"/>\n", vr);
#if N_EVENT_INDICATORS > 0
        for (int i = 0; i < N_EVENT_INDICATORS; i++) emit("    <EventIndicator valueReference=\"%u\"/>\n", eventIndicators[i]);
#endif
    }
    (void)any;
    emit("  </ModelStructure>\n\n</fmiModelDescription>\n");
}

int main(int argc, char** argv) {
    if (argc != 3 || (strcmp(argv[1], "2") != 0 && strcmp(argv[1], "3") != 0)) {
        fprintf(stderr, "usage: %s 2|3 <modelDescription.xml>\n", argv[0]);
        return 2;
    }
    check_table();
    describe(atoi(argv[1]));
    size_t n = outLen;
#if MODEL_MALFORMED_XML
    /* Deliberately broken: cut the file in the middle of the second variable's start tag. */
    const char* vars = strstr(out, "<ModelVariables>");
    const char* second = vars ? strstr(vars, "valueReference=\"1\"") : NULL;
    if (!second) die("cannot find where to truncate");
    n = (size_t)(second - out) + 8; /* ends inside the attribute name: ...valueRef */
#endif
    FILE* f = fopen(argv[2], "wb");
    if (!f || fwrite(out, 1, n, f) != n || fclose(f) != 0) die("cannot write %s", argv[2]);
    return 0;
}
