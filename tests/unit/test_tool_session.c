// SPDX-License-Identifier: GPL-2.0
/* tool_session_free() accepts NULL, as every destructor does. */
#include <criterion/criterion.h>

#include "tools/tool_session.h"

Test(tool_session, free_accepts_null)
{
	tool_session_free(NULL);
}
