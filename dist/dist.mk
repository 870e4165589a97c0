# SPDX-License-Identifier: GPL-2.0
#
# What `make install` puts beside the programs: man pages, the systemd
# unit and bash completion.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

.PHONY: install
install::
	install -D -m 0644 dist/sipregd.8 $(DESTDIR)$(MANDIR)/man8/sipregd.8
	install -D -m 0644 dist/sipregctl.8 $(DESTDIR)$(MANDIR)/man8/sipregctl.8
	install -D -m 0644 dist/sipregctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/sipregctl
	@mkdir -p $(BUILD)
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/sipregd.service > $(BUILD)/sipregd.service
	install -D -m 0644 $(BUILD)/sipregd.service $(DESTDIR)$(UNITDIR)/sipregd.service
	install -D -m 0644 dist/sipreg.sysusers $(DESTDIR)$(SYSUSERSDIR)/sipreg.conf
