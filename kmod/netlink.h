/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_NETLINK_H
#define _SIPREG_NETLINK_H

int sipreg_genl_register(void);
void sipreg_genl_unregister(void);

#endif /* _SIPREG_NETLINK_H */
