/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_HOOK_H
#define _SIPREG_HOOK_H

struct net;

int sipreg_hook_register(struct net *net);
void sipreg_hook_unregister(struct net *net);

#endif /* _SIPREG_HOOK_H */
