import * as z from 'zod';
import { entityId } from '../../shared/domain/ids';

export const getStorePath = z.object({ storeId: entityId });
