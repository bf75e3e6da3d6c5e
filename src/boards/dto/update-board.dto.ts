import { PartialType, PickType } from '@nestjs/swagger';
import { CreateBoardDto } from './create-board.dto';

/** `key`, `order` and `operator` cannot change (any other field is 400); the rest as on create, all optional. */
export class UpdateBoardDto extends PartialType(PickType(CreateBoardDto, ['name', 'reset', 'timezone', 'maxIncrement'] as const)) {}
