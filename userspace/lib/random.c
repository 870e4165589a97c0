// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <sys/random.h>

#include "random.h"

void random_bytes(void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = getrandom((uint8_t *)p + got, n - got, 0);
		if (r > 0)
			got += (size_t)r;
	}
}
