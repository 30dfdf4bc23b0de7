/* BouncingBall: a ball falling under gravity, bouncing on the ground with restitution e. */
#ifndef BOUNCINGBALL_CONFIG_H
#define BOUNCINGBALL_CONFIG_H

#define MODEL_NAME "BouncingBall"
#define MODEL_DESCRIPTION "Bouncing ball: dh/dt = v, dv/dt = -g; at h = 0: v := -e*v; rests when the rebound speed < vMin"
#define INSTANTIATION_TOKEN "{9030b1b6-a1d0-478e-8fd1-d9f00486a8fb}"

enum {
    VR_TIME,    /* 0 */
    VR_H,       /* 1 output height [m], state, event indicator */
    VR_V,       /* 2 output velocity [m/s], state */
    VR_DER_H,   /* 3 */
    VR_DER_V,   /* 4 */
    VR_G,       /* 5 parameter gravity [m/s2] */
    VR_E,       /* 6 parameter coefficient of restitution */
    VR_H0,      /* 7 parameter initial height [m] */
    VR_V0,      /* 8 parameter initial velocity [m/s] */
    VR_V_MIN,   /* 9 parameter rebound speed below which the ball comes to rest [m/s] */
    VR_RESTING, /* 10 local Boolean: the ball lies on the ground */
    VR_IMPACTS, /* 11 local Int32: number of impacts so far */
    N_VARIABLES
};

#define N_STATES 2
#define N_EVENT_INDICATORS 1
#define EVENT_INDICATOR_VRS { VR_H }
#define MODEL_STATE_REINIT(vr) ((vr) == VR_H || (vr) == VR_V)
#define SOLVER_STEP 1e-3

#define DEFAULT_START_TIME 0.0
#define DEFAULT_STOP_TIME 3.0
#define DEFAULT_STEP_SIZE 0.01
#define DEFAULT_TOLERANCE 1e-8

#define MODEL_UNITS {                    \
    {"s", "s=\"1\""},                    \
    {"m", "m=\"1\""},                    \
    {"m/s", "m=\"1\" s=\"-1\""},         \
    {"m/s2", "m=\"1\" s=\"-2\""},        \
}

static const VariableInfo MODEL_VARIABLES[N_VARIABLES] MODEL_TABLE = {
    [VR_TIME] = {"time", T_FLOAT64, C_INDEPENDENT, V_CONTINUOUS, I_NONE, 0, "s", .description = "Simulation time"},
    [VR_H] = {"h", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m", .dependencies = "1", .description = "Height of the ball"},
    [VR_V] = {"v", T_FLOAT64, C_OUTPUT, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .dependencies = "2", .description = "Velocity of the ball (up > 0)"},
    [VR_DER_H] = {"der(h)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s", .derivativeOf = VR_H},
    [VR_DER_V] = {"der(v)", T_FLOAT64, C_LOCAL, V_CONTINUOUS, I_CALCULATED, 0, "m/s2", .derivativeOf = VR_V},
    [VR_G] = {"g", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 9.81, "m/s2", .min = "0", .description = "Gravity acceleration"},
    [VR_E] = {"e", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.7, NULL, .min = "0", .max = "1", .description = "Coefficient of restitution"},
    [VR_H0] = {"h0", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 1.0, "m", .min = "0", .description = "Initial height"},
    [VR_V0] = {"v0", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.0, "m/s", .description = "Initial velocity"},
    [VR_V_MIN] = {"vMin", T_FLOAT64, C_PARAMETER, V_FIXED, I_NONE, 0.01, "m/s", .min = "0",
                  .description = "The ball comes to rest when its rebound speed would be below vMin"},
    [VR_RESTING] = {"resting", T_BOOLEAN, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "The ball lies on the ground"},
    [VR_IMPACTS] = {"impacts", T_INT32, C_LOCAL, V_DISCRETE, I_CALCULATED, 0, NULL, .description = "Number of impacts so far"},
};

#endif
