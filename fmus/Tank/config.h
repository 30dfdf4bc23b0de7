/* Tank: water tank with a controllable inflow valve and a free orifice outflow (Torricelli). */
#ifndef TANK_CONFIG_H
#define TANK_CONFIG_H

#define MODEL_NAME "Tank"
#define MODEL_DESCRIPTION "Water tank: A dh/dt = valve*maxInflow - outletCoefficient*sqrt(max(h,0))"
#define INSTANTIATION_TOKEN "{36415f09-a442-47b3-9b4e-c599a03760cb}"

enum {
    VR_TIME,               /* 0 independent */
    VR_VALVE,              /* 1 input  valve opening 0..1 */
    VR_LEVEL,              /* 2 output level h [m] (continuous state) */
    VR_OUTFLOW,            /* 3 output q_out [m3/s] */
    VR_INFLOW,             /* 4 local  q_in [m3/s] */
    VR_DER_LEVEL,          /* 5 local  dh/dt [m/s] */
    VR_AREA,               /* 6 parameter A [m2] */
    VR_OUTLET_COEFFICIENT, /* 7 parameter k [m2.5/s] */
    VR_MAX_INFLOW,         /* 8 parameter [m3/s] */
    VR_H0,                 /* 9 parameter initial level [m] */
    N_VARIABLES
};

#define N_STATES 1
#define N_EVENT_INDICATORS 0
#define SOLVER_STEP 0.01

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 100.0
#define DEFAULT_STEP_SIZE 0.1
#define DEFAULT_TOLERANCE 1e-6

#define MODEL_UNITS {                     \
    {"s", "s=\"1\""},                     \
    {"m", "m=\"1\""},                     \
    {"m2", "m=\"2\""},                    \
    {"m/s", "m=\"1\" s=\"-1\""},          \
    {"m3/s", "m=\"3\" s=\"-1\""},         \
    {"m2.5/s", NULL}, /* m^2.5/s: no integer base-unit exponents */ \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_VALVE] = {"valve", T_FLOAT64, C_INPUT, V_CONTINUOUS, I_NONE, 0.5, NULL, .min = "0", .max = "1",
                  .description = "Inflow valve opening (clamped to 0..1)"},
    [VR_LEVEL] = {"level", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "2",
                  .description = "Water level h"},
    [VR_OUTFLOW] = {"outflow", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m3/s", .dependencies = "2",
                    .description = "Outflow through the orifice"},
    [VR_INFLOW] = {"inflow", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m3/s", .description = "Inflow valve*maxInflow"},
    [VR_DER_LEVEL] = {"der(level)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .derivativeOf = VR_LEVEL},
    [VR_AREA] = {"area", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.5, "m2", .min = "1e-06", .description = "Tank cross-section A"},
    [VR_OUTLET_COEFFICIENT] = {"outletCoefficient", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.05, "m2.5/s", .min = "0",
                               .description = "k in q_out = k*sqrt(h)"},
    [VR_MAX_INFLOW] = {"maxInflow", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.1, "m3/s", .min = "0",
                       .description = "Inflow at valve = 1"},
    [VR_H0] = {"h0", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.1, "m", .min = "0", .description = "Initial level"},
};

#endif
