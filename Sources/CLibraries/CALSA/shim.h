#ifndef LOA_CALSA_SHIM_H
#define LOA_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
