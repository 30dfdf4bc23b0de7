/* Pump: centrifugal pump driven by a DC motor, with pipe/valve hydraulics and motor heating. */
#ifndef PUMP_CONFIG_H
#define PUMP_CONFIG_H

#define MODEL_NAME "Pump"
#define MODEL_DESCRIPTION "Centrifugal pump on a DC motor: speed, pipe flow (inertance) and motor temperature"
#define INSTANTIATION_TOKEN "{b788652a-e69c-422a-bf22-3a8451ba0b91}"

enum {
    VR_TIME,                 /* 0 */
    VR_VOLTAGE,              /* 1 input supply voltage [V] */
    VR_VALVE,                /* 2 input valve opening 0..1 */
    VR_SPEED,                /* 3 output [rpm] */
    VR_CURRENT,              /* 4 output [A] */
    VR_FLOW_RATE,            /* 5 output [l/min] */
    VR_PRESSURE,             /* 6 output pump pressure rise [bar] */
    VR_MOTOR_TEMPERATURE,    /* 7 output [degC], state */
    VR_OMEGA,                /* 8 local state shaft speed [rad/s] */
    VR_VOLUME_FLOW,          /* 9 local state [m3/s] */
    VR_DER_OMEGA,            /* 10 */
    VR_DER_VOLUME_FLOW,      /* 11 */
    VR_DER_TEMPERATURE,      /* 12 */
    VR_MOTOR_TORQUE,         /* 13 local [N.m] */
    VR_LOAD_TORQUE,          /* 14 local [N.m] */
    VR_R,                    /* 15 parameters ... */
    VR_K_PHI,
    VR_J,
    VR_B,
    VR_C0,
    VR_C1,
    VR_A,
    VR_R_PUMP,
    VR_R_PIPE,
    VR_R_VALVE,
    VR_MIN_OPENING,
    VR_L,
    VR_R_TH,
    VR_C_TH,
    VR_T_AMBIENT,
    VR_T0,                   /* 30 */
    N_VARIABLES
};

#define N_STATES 3
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 1e-3

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 1200.0
#define DEFAULT_STEP_SIZE 1.0
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS {                                                              \
    {"s", "s=\"1\""},                                                              \
    {"V", "kg=\"1\" m=\"2\" s=\"-3\" A=\"-1\""},                                   \
    {"A", "A=\"1\""},                                                              \
    {"Ohm", "kg=\"1\" m=\"2\" s=\"-3\" A=\"-2\""},                                 \
    {"rad/s", "s=\"-1\" rad=\"1\""},                                               \
    {"rad/s2", "s=\"-2\" rad=\"1\""},                                              \
    {"rpm", "s=\"-1\" rad=\"1\" factor=\"0.10471975511965977\""},                  \
    {"m3/s", "m=\"3\" s=\"-1\""},                                                  \
    {"m3/s2", "m=\"3\" s=\"-2\""},                                                 \
    {"l/min", "m=\"3\" s=\"-1\" factor=\"1.6666666666666667e-05\""},               \
    {"bar", "kg=\"1\" m=\"-1\" s=\"-2\" factor=\"100000\""},                       \
    {"degC", "K=\"1\" offset=\"273.15\""},                                         \
    {"K/s", "K=\"1\" s=\"-1\""},                                                   \
    {"N.m", "kg=\"1\" m=\"2\" s=\"-2\""},                                          \
    {"V.s/rad", "kg=\"1\" m=\"2\" s=\"-2\" A=\"-1\" rad=\"-1\""},                  \
    {"kg.m2", "kg=\"1\" m=\"2\""},                                                 \
    {"N.m.s", "kg=\"1\" m=\"2\" s=\"-1\""},                                        \
    {"N.m.s2", "kg=\"1\" m=\"2\""},                                                \
    {"N.m.s2/m3", "kg=\"1\" m=\"-1\""},                                            \
    {"Pa.s2", "kg=\"1\" m=\"-1\""},                                                \
    {"Pa.s2/m6", "kg=\"1\" m=\"-7\""},                                             \
    {"Pa.s2/m3", "kg=\"1\" m=\"-4\""},                                             \
    {"K/W", "kg=\"-1\" m=\"-2\" s=\"3\" K=\"1\""},                                 \
    {"J/K", "kg=\"1\" m=\"2\" s=\"-2\" K=\"-1\""},                                 \
}

#define P(vr, name, value, unit, text) [vr] = {name, T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, value, unit, .description = text}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_VOLTAGE] = {"voltage", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 230.0, "V", .description = "Motor supply voltage"},
    [VR_VALVE] = {"valve", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 1.0, NULL, .min = "0", .max = "1",
                  .description = "Valve opening (below minOpening it is treated as minOpening)"},
    [VR_SPEED] = {"speed", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "rpm", .dependencies = "8", .description = "Shaft speed"},
    [VR_CURRENT] = {"current", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "A", .dependencies = "1 8",
                    .description = "Motor current (voltage - kPhi*omega)/R: direct feedthrough from voltage"},
    [VR_FLOW_RATE] = {"flowRate", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "l/min", .dependencies = "9", .description = "Volume flow"},
    [VR_PRESSURE] = {"pressure", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "bar", .dependencies = "8 9",
                     .description = "Pressure rise across the pump"},
    [VR_MOTOR_TEMPERATURE] = {"motorTemperature", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "degC", .dependencies = "7",
                              .description = "Motor winding temperature"},
    [VR_OMEGA] = {"omega", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "rad/s", .nominal = 300, .description = "Shaft speed"},
    [VR_VOLUME_FLOW] = {"volumeFlow", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m3/s", .nominal = 0.002, .description = "Volume flow"},
    [VR_DER_OMEGA] = {"der(omega)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "rad/s2", .derivativeOf = VR_OMEGA},
    [VR_DER_VOLUME_FLOW] = {"der(volumeFlow)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m3/s2", .derivativeOf = VR_VOLUME_FLOW},
    [VR_DER_TEMPERATURE] = {"der(motorTemperature)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "K/s", .derivativeOf = VR_MOTOR_TEMPERATURE},
    [VR_MOTOR_TORQUE] = {"motorTorque", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "N.m", .description = "kPhi*current"},
    [VR_LOAD_TORQUE] = {"loadTorque", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "N.m", .description = "Friction + pump torque"},
    P(VR_R, "R", 9.0, "Ohm", "Armature resistance"),
    P(VR_K_PHI, "kPhi", 0.68, "V.s/rad", "Motor constant (back-EMF and torque constant)"),
    P(VR_J, "J", 0.005, "kg.m2", "Inertia of rotor and impeller"),
    P(VR_B, "b", 5e-4, "N.m.s", "Viscous bearing friction"),
    P(VR_C0, "c0", 6e-6, "N.m.s2", "Pump torque c0*omega^2 (drawn even at zero flow)"),
    P(VR_C1, "c1", 1.2, "N.m.s2/m3", "Pump torque c1*omega*Q (hydraulic load)"),
    P(VR_A, "a", 1.6, "Pa.s2", "Pump pressure rise a*omega^2 at zero flow"),
    P(VR_R_PUMP, "rPump", 2e10, "Pa.s2/m6", "Pump internal loss rPump*Q*|Q|"),
    P(VR_R_PIPE, "rPipe", 5e9, "Pa.s2/m6", "Pipe loss rPipe*Q*|Q|"),
    P(VR_R_VALVE, "rValve", 1.2e10, "Pa.s2/m6", "Loss of the open valve; rValve/opening^2 when throttled"),
    P(VR_MIN_OPENING, "minOpening", 0.02, NULL, "Smallest effective valve opening (leakage)"),
    P(VR_L, "L", 1e7, "Pa.s2/m3", "Inertance of the water column (density*length/area)"),
    P(VR_R_TH, "Rth", 1.5, "K/W", "Thermal resistance motor -> ambient"),
    P(VR_C_TH, "Cth", 160.0, "J/K", "Heat capacity of the motor"),
    P(VR_T_AMBIENT, "ambientTemperature", 25.0, "degC", "Ambient temperature"),
    P(VR_T0, "initialTemperature", 25.0, "degC", "Motor temperature at the start"),
};

#undef P
#endif
