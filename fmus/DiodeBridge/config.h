/* DiodeBridge: AC source with series resistance, full bridge of ideal diodes, smoothing capacitor and load. */
#ifndef DIODEBRIDGE_CONFIG_H
#define DIODEBRIDGE_CONFIG_H

#define MODEL_NAME "DiodeBridge"
#define MODEL_DESCRIPTION "Full-bridge rectifier: V sin(2 pi f t) - Rs - ideal diode bridge - C || RL; diodes switch by state events"
#define INSTANTIATION_TOKEN "{52a50ca0-e952-425c-91ad-623f569b624a}"

enum {
    VR_TIME,     /* 0 */
    VR_VC,       /* 1 output capacitor (= load) voltage [V], state */
    VR_DER_VC,   /* 2 */
    VR_VS,       /* 3 output source voltage [V] */
    VR_IS,       /* 4 output source current [A] */
    VR_IOUT,     /* 5 output bridge output current into C || RL [A] */
    VR_Z1,       /* 6..9 local event indicators of diodes D1..D4 (forward voltage when off, current when on) */
    VR_Z2,
    VR_Z3,
    VR_Z4,
    VR_ON1,      /* 10..13 local Boolean: diode D1..D4 conducts */
    VR_ON2,
    VR_ON3,
    VR_ON4,
    VR_SWITCHES, /* 14 local Int32: diode switchings so far */
    VR_AMPL,     /* 15 parameter source amplitude V [V] */
    VR_FREQ,     /* 16 parameter source frequency f [Hz] */
    VR_RS,       /* 17 parameter series resistance [Ohm] */
    VR_CAP,      /* 18 parameter capacitance [F] */
    VR_RL,       /* 19 parameter load resistance [Ohm] */
    VR_VC0,      /* 20 parameter initial capacitor voltage [V] */
    N_VARIABLES
};

#define N_STATES 1
#define N_EVENT_INDICATORS 4
#define EVENT_INDICATOR_VRS { VR_Z1, VR_Z2, VR_Z3, VR_Z4 }
#define SOLVER_STEP 1e-5

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 0.2
#define DEFAULT_STEP_SIZE 1e-4
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS {                              \
    {"s", "s=\"1\""},                              \
    {"V", "kg=\"1\" m=\"2\" s=\"-3\" A=\"-1\""},   \
    {"V/s", "kg=\"1\" m=\"2\" s=\"-4\" A=\"-1\""}, \
    {"A", "A=\"1\""},                              \
    {"Hz", "s=\"-1\""},                            \
    {"Ohm", "kg=\"1\" m=\"2\" s=\"-3\" A=\"-2\""}, \
    {"F", "kg=\"-1\" m=\"-2\" s=\"4\" A=\"2\""},   \
}

#define Z(vr, name, text) [vr] = {name, T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, NULL, .description = text}
#define ON(vr, name) [vr] = {name, T_BOOLEAN, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "The diode conducts"}
#define P(vr, name, value, unit, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, unit, .min = "0", .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_VC] = {"vC", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "V", .dependencies = "1", .nominal = 10,
               .description = "Capacitor (and load) voltage"},
    [VR_DER_VC] = {"der(vC)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "V/s", .derivativeOf = VR_VC},
    [VR_VS] = {"vS", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "V", .description = "Source voltage V sin(2 pi f t)"},
    [VR_IS] = {"iS", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "A", .description = "Source current"},
    [VR_IOUT] = {"iOut", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "A",
                 .description = "Bridge output current into capacitor and load"},
    Z(VR_Z1, "z1", "Event indicator of D1 (source + to output +)"),
    Z(VR_Z2, "z2", "Event indicator of D2 (source - to output +)"),
    Z(VR_Z3, "z3", "Event indicator of D3 (output - to source +)"),
    Z(VR_Z4, "z4", "Event indicator of D4 (output - to source -)"),
    ON(VR_ON1, "on1"),
    ON(VR_ON2, "on2"),
    ON(VR_ON3, "on3"),
    ON(VR_ON4, "on4"),
    [VR_SWITCHES] = {"switches", T_INT32, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "Diode switchings so far"},
    P(VR_AMPL, "V", 10.0, "V", "Source amplitude"),
    P(VR_FREQ, "f", 50.0, "Hz", "Source frequency"),
    P(VR_RS, "Rs", 1.0, "Ohm", "Series resistance of the source"),
    P(VR_CAP, "C", 1e-3, "F", "Smoothing capacitor"),
    P(VR_RL, "RL", 100.0, "Ohm", "Load resistance"),
    P(VR_VC0, "vC0", 0.0, "V", "Initial capacitor voltage"),
};

#undef Z
#undef ON
#undef P
#endif
